package io.keygate.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.keygate.json.Json;
import io.keygate.server.TestKeygate;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.AuthorizerType;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.SchemaType;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tool calls to Lambda targets, self-hosted: the function ARN is mapped in the Keygate config
 * ({@code gateway.lambdaEndpoints}) to an HTTP service in this test that answers as the Lambda Runtime
 * Interface Emulator does at {@code /2015-03-31/functions/function/invocations}; the gateway passes the
 * arguments as the event and AgentCore's context in {@code X-Amz-Client-Context}. A function error is a
 * tool error with its message and never its stack trace; the outbound URL guard applies (GW-8).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayLambdaIntegrationTests {
    private static final String FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:greeter";
    private static final String METADATA_FUNCTION = "arn:aws:lambda:us-east-1:123456789012:function:imds";
    private final List<Invocation> invocations = new CopyOnWriteArrayList<>();
    private TestKeygate keygate;
    private HttpServer emulator;
    private String gatewayUrl;
    private String gatewayId;
    private String targetId;

    /** What the emulator received: the path, the event and the decoded client context. */
    private record Invocation(String path, JsonNode event, JsonNode clientContext) {
    }

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        emulator = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        emulator.createContext("/", this::invoke);
        emulator.start();
        keygate = TestKeygate.start(dataDir, Map.of(), Map.of("gateway.lambdaEndpoints", FUNCTION + "=http://127.0.0.1:"
                + emulator.getAddress().getPort() + "," + METADATA_FUNCTION + "=http://169.254.169.254"));
        try (var control = keygate.controlClient()) {
            var gateway = control.createGateway(r -> r.name("lambdas").authorizerType(AuthorizerType.NONE));
            gatewayId = gateway.gatewayId();
            gatewayUrl = gateway.gatewayUrl().replace(keygate.server().publicUrl().toString(),
                    keygate.server().localUrl().toString());
            targetId = control.createGatewayTarget(r -> r.gatewayIdentifier(gatewayId).name("fn")
                    .targetConfiguration(t -> t.mcp(m -> m.lambda(l -> l.lambdaArn(FUNCTION)
                            .toolSchema(s -> s.inlinePayload(tool -> tool.name("greet").description("Greet someone")
                                    .inputSchema(schema -> schema.type(SchemaType.OBJECT))))))))
                    .targetId();
            control.createGatewayTarget(r -> r.gatewayIdentifier(gatewayId).name("imds")
                    .targetConfiguration(t -> t.mcp(m -> m.lambda(l -> l.lambdaArn(METADATA_FUNCTION)
                            .toolSchema(s -> s.inlinePayload(tool -> tool.name("steal").description("Steal")
                                    .inputSchema(schema -> schema.type(SchemaType.OBJECT))))))));
        }
    }

    /** Answers like the emulator: the function's JSON, or its error with X-Amz-Function-Error. */
    private void invoke(HttpExchange exchange) throws IOException {
        JsonNode event = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
        String context = exchange.getRequestHeaders().getFirst("X-Amz-Client-Context");
        invocations.add(new Invocation(exchange.getRequestURI().getPath(), event, context == null ? null
                : Json.MAPPER.readTree(Base64.getDecoder().decode(context))));
        String body;
        if (event.path("fail").asBoolean()) {
            exchange.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
            body = "{\"errorMessage\":\"no such person\",\"errorType\":\"KeyError\",\"stackTrace\":[\"  File \\\"/var/task/app.py\\\", line 7\"]}";
        } else {
            body = Json.write(Map.of("greeting", "Hello, " + event.path("name").asText()));
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @AfterAll
    void stop() throws Exception {
        keygate.close();
        emulator.stop(0);
    }

    @BeforeEach
    void forget() {
        invocations.clear();
    }

    private McpSyncClient client() {
        return GatewayFixture.anonymousClient(gatewayUrl);
    }

    private static String text(McpSchema.CallToolResult result) {
        return GatewayFixture.text(result);
    }

    @Test
    void toolCallWhenLambdaTargetThenEmulatorGetsArgumentsAndAgentCoreContextAndClientGetsTheAnswer() throws Exception {
        try (McpSyncClient client = client()) {
            var result = client.callTool(new McpSchema.CallToolRequest("fn___greet", Map.of("name", "Ada")));

            assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
            assertThat(Json.MAPPER.readTree(text(result)).path("greeting").asText()).isEqualTo("Hello, Ada");
        }
        assertThat(invocations).hasSize(1);
        Invocation invocation = invocations.get(0);
        assertThat(invocation.path()).isEqualTo("/2015-03-31/functions/function/invocations");
        assertThat(invocation.event()).isEqualTo(Json.MAPPER.readTree("{\"name\":\"Ada\"}"));
        JsonNode custom = invocation.clientContext().path("custom");
        assertThat(custom.path("bedrockAgentCoreToolName").asText()).isEqualTo("fn___greet");
        assertThat(custom.path("bedrockAgentCoreGatewayId").asText()).isEqualTo(gatewayId);
        assertThat(custom.path("bedrockAgentCoreTargetId").asText()).isEqualTo(targetId);
        assertThat(custom.path("bedrockAgentCoreMessageVersion").asText()).isEqualTo("1.0");
        assertThat(custom.path("bedrockAgentCoreAwsRequestId").asText()).isNotBlank();
        assertThat(custom.path("bedrockAgentCoreMcpMessageId").asText()).isNotBlank();
    }

    @Test
    void toolCallWhenFunctionFailsThenToolErrorWithItsMessageAndNoStackTrace() {
        try (McpSyncClient client = client()) {
            var result = client.callTool(new McpSchema.CallToolRequest("fn___greet", Map.of("fail", true)));

            assertThat(result.isError()).isTrue();
            assertThat(text(result)).contains("KeyError").contains("no such person").doesNotContain("app.py");
        }
        assertThat(keygate.server().services().audit().list(null, 1000).items())
                .anyMatch(event -> event.event().equals("tool-call") && "TOOL_ERROR".equals(event.outcome()));
    }

    @Test
    void toolCallWhenEndpointIsMetadataAddressThenRefusedBeforeAnyConnection() {
        try (McpSyncClient client = client()) {
            var result = client.callTool(new McpSchema.CallToolRequest("imds___steal", Map.of()));

            assertThat(result.isError()).isTrue();
            assertThat(text(result)).contains("Target imds").contains("Keygate does not contact")
                    .contains("169.254.169.254");
        }
        assertThat(invocations).isEmpty();
    }
}
