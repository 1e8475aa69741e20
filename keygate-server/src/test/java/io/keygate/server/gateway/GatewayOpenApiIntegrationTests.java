package io.keygate.server.gateway;

import com.sun.net.httpserver.HttpServer;
import io.keygate.server.TestKeygate;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.ApiKeyCredentialLocation;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.AuthorizerType;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.CredentialProviderType;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.SchemaType;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.TargetStatus;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tool calls to an OpenAPI target end to end: a gateway without inbound auth, a target created with
 * the AWS SDK whose servers[0].url is a JDK HTTP service in this test and whose API key goes in the
 * {@code X-Api-Key} header, and the official MCP Java SDK client listing and calling
 * {@code {target}___{operationId}}. Path arguments arrive percent-encoded as one segment (security.md B9).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayOpenApiIntegrationTests {
    private static final String API_KEY = "pets-key-456";
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private TestKeygate keygate;
    private HttpServer service;
    private String gatewayUrl;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        service = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        service.createContext("/", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath() + " key="
                    + exchange.getRequestHeaders().getFirst("X-Api-Key"));
            boolean known = exchange.getRequestURI().getRawPath().equals("/v1/pets/..%2Fadmin");
            byte[] body = (known ? "{\"name\":\"Rex\"}" : "{\"message\":\"no such pet\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(known ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        service.start();
        keygate = TestKeygate.start(dataDir);
        try (var control = keygate.controlClient()) {
            String keyArn = control.createApiKeyCredentialProvider(r -> r.name("pets-key").apiKey(API_KEY))
                    .credentialProviderArn();
            var gateway = control.createGateway(r -> r.name("open").authorizerType(AuthorizerType.NONE));
            gatewayUrl = gateway.gatewayUrl().replace(keygate.server().publicUrl().toString(),
                    keygate.server().localUrl().toString());
            var target = control.createGatewayTarget(r -> r.gatewayIdentifier(gateway.gatewayId()).name("pets")
                    .targetConfiguration(t -> t.mcp(m -> m.openApiSchema(s -> s.inlinePayload(document()))))
                    .credentialProviderConfigurations(c -> c.credentialProviderType(CredentialProviderType.API_KEY)
                            .credentialProvider(p -> p.apiKeyCredentialProvider(k -> k.providerArn(keyArn)
                                    .credentialLocation(ApiKeyCredentialLocation.HEADER).credentialParameterName("X-Api-Key")))));
            assertThat(target.status()).isEqualTo(TargetStatus.READY);
            control.createGatewayTarget(r -> r.gatewayIdentifier(gateway.gatewayId()).name("fn")
                    .targetConfiguration(t -> t.mcp(m -> m.lambda(l -> l
                            .lambdaArn("arn:aws:lambda:us-east-1:123456789012:function:tools")
                            .toolSchema(s -> s.inlinePayload(tool -> tool.name("ping").description("Ping")
                                    .inputSchema(schema -> schema.type(SchemaType.OBJECT))))))));
        }
    }

    private String document() {
        return """
                openapi: 3.0.3
                info: {title: Pets, version: "1"}
                servers: [{url: "http://127.0.0.1:%d/v1"}]
                paths:
                  /pets/{petId}:
                    get:
                      operationId: showPetById
                      summary: Info for a pet
                      parameters: [{name: petId, in: path, required: true, schema: {type: string}}]
                  /pets:
                    get: {operationId: listPets, summary: List pets}
                """.formatted(service.getAddress().getPort());
    }

    @AfterAll
    void stop() throws Exception {
        keygate.close();
        service.stop(0);
    }

    @BeforeEach
    void forget() {
        seen.clear();
    }

    private McpSyncClient client() {
        return GatewayFixture.anonymousClient(gatewayUrl);
    }

    private static String text(McpSchema.CallToolResult result) {
        return GatewayFixture.text(result);
    }

    @Test
    void toolCallWhenOpenApiTargetThenServiceGetsApiKeyAndEncodedPathAndClientGetsResponse() {
        try (McpSyncClient client = client()) {
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                    .contains("pets___showPetById", "pets___listPets");

            var result = client.callTool(new McpSchema.CallToolRequest("pets___showPetById", Map.of("petId", "../admin")));

            assertThat(seen).containsExactly("GET /v1/pets/..%2Fadmin key=" + API_KEY);
            assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
            assertThat(text(result)).isEqualTo("{\"name\":\"Rex\"}");
            assertThat(result.toString()).doesNotContain(API_KEY);
        }
    }

    @Test
    void toolCallWhenServiceAnswers404ThenToolErrorWithStatus() {
        try (McpSyncClient client = client()) {
            var result = client.callTool(new McpSchema.CallToolRequest("pets___showPetById", Map.of("petId", "9")));

            assertThat(seen).containsExactly("GET /v1/pets/9 key=" + API_KEY);
            assertThat(result.isError()).isTrue();
            assertThat(text(result)).contains("HTTP 404").contains("no such pet");
        }
    }

    @Test
    void toolCallWhenRequiredArgumentMissingThenToolErrorAndServiceNotCalled() {
        try (McpSyncClient client = client()) {
            var result = client.callTool(new McpSchema.CallToolRequest("pets___showPetById", Map.of()));

            assertThat(result.isError()).isTrue();
            assertThat(text(result)).contains("missing required argument 'petId'");
            assertThat(seen).isEmpty();
        }
    }

    @Test
    void toolCallWhenLambdaTargetHasNoInvokeEndpointThenToolErrorNamingTheSetting() {
        try (McpSyncClient client = client()) {
            var result = client.callTool(new McpSchema.CallToolRequest("fn___ping", Map.of()));

            assertThat(result.isError()).isTrue();
            assertThat(text(result)).contains("Target fn").contains("arn:aws:lambda:us-east-1:123456789012:function:tools")
                    .contains("gateway.lambdaEndpoints");
        }
    }
}
