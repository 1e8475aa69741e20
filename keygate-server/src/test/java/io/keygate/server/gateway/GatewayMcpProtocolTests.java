package io.keygate.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.json.Json;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The gateway's MCP endpoint at the protocol level: clients without URL elicitation still see the
 * consent link, the per-call credential override, two users in parallel (GW-3, TV-8), and bad input
 * over HTTP (security.md B1, B11).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayMcpProtocolTests {
    private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
    private GatewayFixture fixture;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        fixture = new GatewayFixture(dataDir);
    }

    @AfterAll
    void stop() throws Exception {
        fixture.close();
    }

    @Test
    void toolCallWhenClientCannotElicitUrlsThenToolErrorCarriesTheLink() {
        try (McpSyncClient client = fixture.client(fixture.userJwt("dora"), false)) {
            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("graph___echo",
                    Map.of("city", "Tromsø")));
            assertThat(result.isError()).isTrue();
            assertThat(result.content().toString()).contains("/identities/oauth2/authorize?request_uri=")
                    .contains("graph");
        }
    }

    @Test
    void toolCallWhenMetaOverridesReturnUrlNotAllowedThenToolErrorNamesTheReturnUrl() {
        try (McpSyncClient client = fixture.client(fixture.userJwt("erin"))) {
            var request = McpSchema.CallToolRequest.builder().name("graph___echo").arguments(Map.of("city", "Oslo"))
                    .meta(Map.of("aws.bedrock-agentcore.gateway/credentialProviderConfiguration",
                            Map.of("oauthCredentialProvider", Map.of("returnUrl", "https://evil.example/steal"))))
                    .build();
            McpSchema.CallToolResult result = client.callTool(request);
            assertThat(result.isError()).isTrue();
            assertThat(result.content().toString()).contains("resourceOauth2ReturnUrl").contains(GatewayFixture.RETURN_URL);
        }
    }

    @Test
    void toolCallsWhenTwoUsersInParallelThenEachConsentsForThemselves() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> urls = new ArrayList<>();
            for (String user : List.of("frank", "grace", "frank", "grace")) {
                urls.add(pool.submit(() -> {
                    try (McpSyncClient client = fixture.client(fixture.userJwt(user))) {
                        McpError error = (McpError) catchThrowable(() -> client.callTool(
                                new McpSchema.CallToolRequest("graph___echo", Map.of("city", "Oslo"))));
                        JsonNode data = Json.MAPPER.valueToTree(error.getJsonRpcError().data());
                        return user + " " + data.path("elicitations").get(0).path("url").asText();
                    }
                }));
            }
            List<String> seen = new ArrayList<>();
            for (Future<String> url : urls) {
                seen.add(url.get(60, TimeUnit.SECONDS));
            }
            assertThat(seen.stream().map(entry -> entry.split(" ")[1]).distinct()).hasSize(4);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void mcpEndpointWhenMalformedOrForeignSessionThenProtocolErrors() throws Exception {
        String bearer = "Bearer " + fixture.userJwt("henry");
        HttpResponse<String> malformed = fixture.post("{\"jsonrpc\":\"2.0\",\"id\":1,", bearer, null);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("-32700").doesNotContain("Exception").doesNotContain("at java.");

        HttpResponse<String> initialized = fixture.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                + "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}",
                bearer, null);
        String session = initialized.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertThat(fixture.post(PING, bearer, session).statusCode()).isEqualTo(200);
        assertThat(fixture.post(PING, "Bearer " + fixture.userJwt("ivy"), session).statusCode())
                .as("another user's session").isEqualTo(404);
        assertThat(fixture.post(PING, bearer, "no-such-session").statusCode()).isEqualTo(404);
        assertThat(fixture.post(PING, bearer, null).statusCode()).isEqualTo(400);
    }

    @Test
    void mcpEndpointWhenTokenLacksRequiredScopeOrClaimThenForbiddenInsufficientScope() throws Exception {
        var control = fixture.keygate.controlClient();
        String discovery = fixture.idp.wellKnownUrl("default").toString();
        var scoped = control.createGateway(r -> r.name("scoped").exceptionLevel("DEBUG")
                .authorizerType(software.amazon.awssdk.services.bedrockagentcorecontrol.model.AuthorizerType.CUSTOM_JWT)
                .authorizerConfiguration(a -> a.customJWTAuthorizer(j -> j.discoveryUrl(discovery)
                        .allowedAudience("gateway-aud").allowedScopes("mcp:tools"))));
        String url = scoped.gatewayUrl().replace(fixture.keygate.server().publicUrl().toString(),
                fixture.keygate.server().localUrl().toString());
        HttpResponse<String> forbidden = fixture.post(url, PING, "Bearer " + fixture.userJwt("judy"), null);
        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.headers().firstValue("WWW-Authenticate").orElseThrow())
                .contains("error=\"insufficient_scope\"").contains("mcp:tools");
        String withScope = fixture.idp.issueToken("default", "judy", new no.nav.security.mock.oauth2.token
                .DefaultOAuth2TokenCallback("default", "judy", "JWT", List.of("gateway-aud"),
                Map.of("scope", "openid mcp:tools"), 3600)).serialize();
        assertThat(fixture.post(url, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}",
                "Bearer " + withScope, null).statusCode()).isEqualTo(200);
    }
}
