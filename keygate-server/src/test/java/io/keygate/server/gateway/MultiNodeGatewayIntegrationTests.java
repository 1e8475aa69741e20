package io.keygate.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.crypto.MasterKeyLoader;
import io.keygate.json.Json;
import io.keygate.server.TestKeygate;
import io.keygate.testkit.TestPostgres;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import org.awaitility.Awaitility;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The MCP gateway on two Keygate nodes that share one PostgreSQL, the master key and the public URL,
 * with a round-robin "load balancer" in front: every request of the official MCP Java SDK client goes
 * to the other node than the one before. The MCP session, the pending URL elicitation and its
 * completion notification must work whichever node gets which request (issue 6 item 1).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiNodeGatewayIntegrationTests {
    private static final String PUBLIC = "http://keygate.test";
    private GatewayFixture fixture;
    private TestKeygate nodeB;
    private final List<String> servedBy = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start(@TempDir Path dirA, @TempDir Path dirB) throws Exception {
        Map<String, String> environment = Map.of(MasterKeyLoader.ENVIRONMENT_VARIABLE, TestKeygate.newMasterKey());
        Map<String, String> shared = Map.of("databaseUrl", TestPostgres.newDatabase(), "databaseUser", "postgres",
                "databasePassword", "postgres", "publicUrl", PUBLIC);
        fixture = new GatewayFixture(TestKeygate.start(dirA, environment, shared));
        nodeB = TestKeygate.start(dirB, environment, shared);
    }

    @AfterAll
    void stop() throws Exception {
        fixture.close();
        nodeB.close();
    }

    /** Round robin over both nodes, remembering which node got each request. */
    private URI balance(URI uri, AtomicInteger turn) {
        TestKeygate node = turn.getAndIncrement() % 2 == 0 ? fixture.keygate : nodeB;
        servedBy.add(node == fixture.keygate ? "A" : "B");
        return URI.create(uri.toString().replace(uri.getScheme() + "://" + uri.getRawAuthority(),
                node.server().localUrl().toString()));
    }

    private String via(TestKeygate node, String publicUrl) {
        return publicUrl.replace(PUBLIC, node.server().localUrl().toString());
    }

    private String location(String url) throws Exception {
        return fixture.browser.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .headers().firstValue("Location").orElseThrow();
    }

    @Test
    void mcpSessionWhenRequestsAlternateNodesThenElicitationCompletesAndUsersTokenReachesTarget() throws Exception {
        String jwt = fixture.userJwt("roaming-bob");
        List<String> completed = new CopyOnWriteArrayList<>();
        AtomicInteger turn = new AtomicInteger();
        try (McpSyncClient client = fixture.client(jwt, true, notification -> completed.add(notification.elicitationId()),
                uri -> balance(uri, turn))) {
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("graph___echo");
            McpError error = (McpError) catchThrowable(() ->
                    client.callTool(new McpSchema.CallToolRequest("graph___echo", Map.of("city", "Bergen"))));
            assertThat(error.getJsonRpcError().code()).isEqualTo(-32042);
            JsonNode elicitation = Json.MAPPER.valueToTree(error.getJsonRpcError().data()).path("elicitations").get(0);

            String toIdp = location(via(nodeB, elicitation.path("url").asText()));
            String toApp = location(via(fixture.keygate, location(toIdp)));
            String sessionUri = java.net.URLDecoder.decode(toApp.replaceAll(".*[?&]session_id=([^&]+).*", "$1"),
                    java.nio.charset.StandardCharsets.UTF_8);
            nodeB.dataClient(fixture.keygate.adminCredentials()).completeResourceTokenAuth(r -> r.sessionUri(sessionUri)
                    .userIdentifier(u -> u.userToken(jwt)));
            Awaitility.await().atMost(Duration.ofSeconds(15))
                    .until(() -> completed.contains(elicitation.path("elicitationId").asText()));

            for (int call = 0; call < 2; call++) {
                fixture.target.clearAuthorizations();
                var result = client.callTool(new McpSchema.CallToolRequest("graph___echo", Map.of("city", "Bergen")));
                assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
                assertThat(fixture.target.authorizations()).isNotEmpty().allMatch(seen -> seen.startsWith("Bearer ey"))
                        .noneMatch(seen -> seen.contains(jwt));
            }
        }
        assertThat(servedBy).contains("A", "B");
    }

    @Test
    void mcpSessionWhenDeletedOnOneNodeThenOtherNodeNoLongerKnowsIt() throws Exception {
        String jwt = fixture.userJwt("roaming-carol");
        var ping = HttpRequest.newBuilder(URI.create(fixture.gatewayUrl)).header("Authorization", "Bearer " + jwt)
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream");
        HttpResponse<String> initialized = fixture.browser.send(ping.copy().POST(HttpRequest.BodyPublishers.ofString(
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                        + "\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        String sessionId = initialized.headers().firstValue("Mcp-Session-Id").orElseThrow();
        URI onB = URI.create(via(nodeB, fixture.gatewayUrl.replace(fixture.keygate.server().localUrl().toString(), PUBLIC)));
        HttpResponse<String> pingOnB = fixture.browser.send(HttpRequest.newBuilder(onB).header("Authorization", "Bearer " + jwt)
                .header("Mcp-Session-Id", sessionId).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(pingOnB.statusCode()).isEqualTo(200);
        assertThat(fixture.browser.send(HttpRequest.newBuilder(onB).header("Authorization", "Bearer " + jwt)
                .header("Mcp-Session-Id", sessionId).DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(204);
        HttpResponse<String> pingOnA = fixture.browser.send(ping.copy().header("Mcp-Session-Id", sessionId)
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(pingOnA.statusCode()).isEqualTo(404);
    }
}
