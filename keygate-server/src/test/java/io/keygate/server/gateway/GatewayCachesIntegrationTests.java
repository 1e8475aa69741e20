package io.keygate.server.gateway;

import io.keygate.access.AccessKey;
import io.keygate.server.TestKeygate;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.AuthorizerType;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The hot-path caches never outlive a delete made on the same node: a deleted target's tools, an ended
 * MCP session (GW-4), a deleted gateway and a revoked access key stop working on the very next request,
 * although each was just read (so cached) by the request before.
 */
class GatewayCachesIntegrationTests {
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";
    private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}";
    private GatewayFixture fixture;

    @BeforeEach
    void start(@TempDir Path dataDir) throws Exception {
        fixture = new GatewayFixture(dataDir);
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void toolCallWhenTargetDeletedOnThisNodeThenItsToolIsUnknownAtOnce() {
        var control = fixture.keygate.controlClient();
        String weather = control.listGatewayTargets(r -> r.gatewayIdentifier(fixture.gatewayId)).items().stream()
                .filter(target -> target.name().equals("weather")).findFirst().orElseThrow().targetId();
        try (McpSyncClient client = fixture.client(fixture.userJwt("alice"))) {
            assertThat(client.callTool(new McpSchema.CallToolRequest("weather___echo", Map.of("city", "Oslo"))).isError())
                    .isNotEqualTo(Boolean.TRUE);

            control.deleteGatewayTarget(r -> r.gatewayIdentifier(fixture.gatewayId).targetId(weather));

            Throwable refused = catchThrowable(() -> client.callTool(new McpSchema.CallToolRequest("weather___echo",
                    Map.of("city", "Oslo"))));
            assertThat(refused).hasMessageContaining("Unknown tool: weather___echo");
        }
    }

    @Test
    void mcpRequestWhenSessionDeletedThenNotFoundAtOnce() throws Exception {
        String jwt = fixture.userJwt("alice");
        HttpResponse<String> initialized = fixture.post(INITIALIZE, "Bearer " + jwt, null);
        String session = initialized.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertThat(fixture.post(PING, "Bearer " + jwt, session).statusCode()).isEqualTo(200);

        HttpResponse<String> deleted = fixture.browser.send(HttpRequest.newBuilder(URI.create(fixture.gatewayUrl)).DELETE()
                .header("Authorization", "Bearer " + jwt).header("Mcp-Session-Id", session).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(deleted.statusCode()).isEqualTo(204);

        assertThat(fixture.post(PING, "Bearer " + jwt, session).statusCode()).isEqualTo(404);
    }

    @Test
    void mcpRequestWhenGatewayDeletedThenNotFoundAtOnce() throws Exception {
        var control = fixture.keygate.controlClient();
        var gateway = control.createGateway(r -> r.name("short-lived").authorizerType(AuthorizerType.CUSTOM_JWT)
                .authorizerConfiguration(a -> a.customJWTAuthorizer(j -> j
                        .discoveryUrl(fixture.idp.wellKnownUrl("default").toString()).allowedAudience("gateway-aud"))));
        String url = gateway.gatewayUrl().replace(fixture.keygate.server().publicUrl().toString(),
                fixture.keygate.server().localUrl().toString());
        String jwt = fixture.userJwt("alice");
        assertThat(fixture.post(url, INITIALIZE, "Bearer " + jwt, null).statusCode()).isEqualTo(200);

        control.deleteGateway(r -> r.gatewayIdentifier(gateway.gatewayId()));

        assertThat(fixture.post(url, INITIALIZE, "Bearer " + jwt, null).statusCode()).isEqualTo(404);
    }

    @Test
    void signedRequestWhenAccessKeyDeletedOnThisNodeThenUnrecognizedAtOnce() {
        var issued = fixture.keygate.server().services().accessKeys().create(AccessKey.Role.ADMIN, null, "short-lived");
        var control = fixture.keygate.controlClient(TestKeygate.credentials(issued.accessKey().accessKeyId(),
                issued.secretAccessKey()));
        assertThat(control.listGateways(r -> { }).items()).isNotEmpty();

        fixture.keygate.server().services().accessKeys().delete(issued.accessKey().accessKeyId());

        assertThatThrownBy(() -> control.listGateways(r -> { })).hasMessageContaining("is not known to this Keygate");
    }
}
