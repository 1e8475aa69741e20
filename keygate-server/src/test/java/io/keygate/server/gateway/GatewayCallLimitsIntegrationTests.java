package io.keygate.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.audit.AuditEvent;
import io.keygate.json.Json;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bounds of tool calls end to end (security.md GW-7): per-target limits set through the
 * {@code /keygate/v1} extension, a target that hangs beside a healthy one (F14), a target that floods
 * its answer, and an oversized request body to the MCP endpoint (B2).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayCallLimitsIntegrationTests {
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch never = new CountDownLatch(1);
    private final AtomicInteger entered = new AtomicInteger();
    private GatewayFixture fixture;
    private TestMcpServer slow;
    private SignedJson signed;
    private String slowTargetId;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        fixture = new GatewayFixture(dataDir);
        slow = TestMcpServer.start();
        slow.addBlockingTool("hang", release, entered);
        slow.addBlockingTool("stall", never, new AtomicInteger());
        slow.addLargeTool("flood", 200 * 1024);
        signed = new SignedJson(fixture.keygate);
        var created = signed.send("POST", "/gateways/" + fixture.gatewayId + "/targets/", "{\"name\":\"slow\","
                + "\"targetConfiguration\":{\"mcp\":{\"mcpServer\":{\"endpoint\":\"" + slow.endpoint() + "\"}}}}");
        assertThat(created.status()).isEqualTo(202);
        slowTargetId = Json.MAPPER.readTree(created.body()).path("targetId").asText();
    }

    @AfterAll
    void stop() throws Exception {
        release.countDown();
        never.countDown();
        slow.close();
        fixture.close();
    }

    private String limitsPath() {
        return "/keygate/v1/gateways/" + fixture.gatewayId + "/targets/" + slowTargetId + "/limits";
    }

    private static String text(McpSchema.CallToolResult result) {
        return GatewayFixture.text(result);
    }

    private List<AuditEvent> audit() {
        return fixture.keygate.server().services().audit().list(null, 1000).items();
    }

    @Test
    void limitsWhenSetThroughExtensionThenReadBackWithDefaultsAndBadFieldsRefused() throws Exception {
        var answer = signed.send("PUT", limitsPath(), "{\"timeoutSeconds\":45}");
        assertThat(answer.status()).isEqualTo(200);
        JsonNode view = Json.MAPPER.readTree(signed.send("GET", limitsPath(), "").body());
        assertThat(view.path("target").path("timeoutSeconds").asInt()).isEqualTo(45);
        assertThat(view.path("target").has("maxResponseBytes")).isFalse();
        assertThat(view.path("defaults").path("timeoutSeconds").asInt()).isEqualTo(30);
        assertThat(view.path("effective").path("maxResponseBytes").asInt()).isEqualTo(1024 * 1024);
        assertThat(view.path("effective").path("maxConcurrentCalls").asInt()).isEqualTo(50);

        var typo = signed.send("PUT", limitsPath(), "{\"timeout\":5}");
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.body()).contains("timeout").contains("timeoutSeconds");
        var outOfRange = signed.send("PUT", limitsPath(), "{\"maxResponseBytes\":10}");
        assertThat(outOfRange.status()).isEqualTo(400);
        assertThat(outOfRange.body()).contains("maxResponseBytes");
        var unknownTarget = signed.send("GET", "/keygate/v1/gateways/" + fixture.gatewayId + "/targets/ABCDEFGHIJ/limits", "");
        assertThat(unknownTarget.status()).isEqualTo(404);
        assertThat(signed.send("PUT", limitsPath(), "{}").status()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(signed.send("GET", limitsPath(), "").body()).path("target").size()).isZero();
    }

    @Test
    void toolCallWhenTargetHangsThenItsBulkheadFillsAndOtherTargetsAnswerMeanwhile() throws Exception {
        assertThat(signed.send("PUT", limitsPath(), "{\"maxConcurrentCalls\":4}").status()).isEqualTo(200);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (McpSyncClient client = fixture.client(fixture.userJwt("hank"))) {
            List<Future<McpSchema.CallToolResult>> hanging = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                hanging.add(pool.submit(() -> client.callTool(new McpSchema.CallToolRequest("slow___hang", Map.of()))));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> entered.get() == 4);

            var refused = client.callTool(new McpSchema.CallToolRequest("slow___hang", Map.of()));
            assertThat(refused.isError()).isTrue();
            assertThat(text(refused)).contains("Target slow").contains("already has 4 calls in progress")
                    .contains("maxConcurrentCalls").contains("gateway.targetMaxConcurrentCalls");
            assertThat(entered.get()).as("the refused call never reached the target").isEqualTo(4);
            var healthy = client.callTool(new McpSchema.CallToolRequest("weather___echo", Map.of("city", "Oslo")));

            assertThat(healthy.isError()).isNotEqualTo(Boolean.TRUE);
            assertThat(text(healthy)).isEqualTo("echo called");
            assertThat(hanging).as("the slow calls are still held by their target").noneMatch(Future::isDone);
            release.countDown();
            for (Future<McpSchema.CallToolResult> call : hanging) {
                assertThat(text(call.get(60, TimeUnit.SECONDS))).isEqualTo("hang released");
            }
        } finally {
            pool.shutdownNow();
            signed.send("PUT", limitsPath(), "{}");
        }
        assertThat(audit()).anyMatch(event -> "TARGET_BUSY".equals(event.outcome()));
    }

    @Test
    void toolCallWhenTargetSlowerThanItsTimeoutThenToolErrorNamingTargetLimitAndSetting() throws Exception {
        assertThat(signed.send("PUT", limitsPath(), "{\"timeoutSeconds\":2}").status()).isEqualTo(200);
        try (McpSyncClient client = fixture.client(fixture.userJwt("hilda"))) {
            var result = client.callTool(new McpSchema.CallToolRequest("slow___stall", Map.of()));

            assertThat(result.isError()).isTrue();
            assertThat(text(result)).contains("Target slow").contains("no answer within 2 s")
                    .contains("timeoutSeconds").contains(limitsPath()).contains("gateway.targetTimeoutSeconds");
        } finally {
            signed.send("PUT", limitsPath(), "{}");
        }
        assertThat(audit()).anyMatch(event -> event.event().equals("tool-call-failed")
                && "TARGET_TIMEOUT".equals(event.outcome()) && "slow".equals(event.provider()));
    }

    @Test
    void toolCallWhenAnswerExceedsTargetLimitThenToolErrorNamingLimitAndSetting() throws Exception {
        try (McpSyncClient client = fixture.client(fixture.userJwt("iris"))) {
            assertThat(client.callTool(new McpSchema.CallToolRequest("slow___flood", Map.of())).isError())
                    .as("200 KiB is within the default 1 MiB").isNotEqualTo(Boolean.TRUE);
            assertThat(signed.send("PUT", limitsPath(), "{\"maxResponseBytes\":65536}").status()).isEqualTo(200);

            var result = client.callTool(new McpSchema.CallToolRequest("slow___flood", Map.of()));

            assertThat(result.isError()).isTrue();
            assertThat(text(result)).contains("Target slow").contains("more than 64 KiB").contains("maxResponseBytes")
                    .contains("gateway.targetMaxResponseBytes").hasSizeLessThan(2000);
        } finally {
            signed.send("PUT", limitsPath(), "{}");
        }
        assertThat(audit()).anyMatch(event -> "TARGET_RESPONSE_TOO_LARGE".equals(event.outcome()));
    }

    @Test
    void mcpEndpointWhenBodyOverOneMebibyteThen413WithJsonRpcError() throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"" + "x".repeat(1100 * 1024)
                + "\"}}";
        HttpResponse<String> response = fixture.browser.send(HttpRequest.newBuilder(URI.create(fixture.gatewayUrl))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + fixture.userJwt("jack")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        JsonNode error = Json.MAPPER.readTree(response.body());
        assertThat(error.path("jsonrpc").asText()).isEqualTo("2.0");
        assertThat(error.path("error").path("code").asInt()).isEqualTo(-32600);
        assertThat(error.path("error").path("message").asText()).contains("larger than 1048576 bytes");
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at java.");
    }
}
