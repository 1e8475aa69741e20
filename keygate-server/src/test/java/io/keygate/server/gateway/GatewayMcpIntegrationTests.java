package io.keygate.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.json.Json;
import io.keygate.server.TestKeygate;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.AuthorizerType;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.CredentialProviderVendorType;

import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The MCP gateway end to end with the official MCP Java SDK client: a CUSTOM_JWT gateway over a real
 * MCP server target behind an API key and another that needs the user's own token (3LO by URL
 * elicitation), mock-oauth2-server as the IdP for both the inbound JWTs and the downstream grant.
 * The target never sees the inbound token (security.md GW-2); the user is the token's iss+sub (GW-3).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayMcpIntegrationTests {
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
    void toolsWhenListedAndCalledWithApiKeyTargetThenTargetSeesKeyNotInboundToken() {
        String jwt = fixture.userJwt("alice");
        try (McpSyncClient client = fixture.client(jwt)) {
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                    .containsExactlyInAnyOrder("weather___echo", "graph___echo");
            fixture.target.clearAuthorizations();
            var result = client.callTool(new McpSchema.CallToolRequest("weather___echo", Map.of("city", "Oslo")));
            assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
            assertThat(result.content().toString()).contains("echo called");
            assertThat(fixture.target.authorizations()).contains("Bearer api-key-123").noneMatch(seen -> seen.contains(jwt));
        }
    }

    @Test
    void toolCallWhenUserHasNoGrantThenUrlElicitationAndAfterConsentTheUsersTokenReachesTarget() throws Exception {
        String jwt = fixture.userJwt("bob");
        List<String> completed = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (McpSyncClient client = fixture.client(jwt, true, notification -> completed.add(notification.elicitationId()))) {
            McpError error = (McpError) org.assertj.core.api.Assertions.catchThrowable(() ->
                    client.callTool(new McpSchema.CallToolRequest("graph___echo", Map.of("city", "Bergen"))));
            assertThat(error).isNotNull();
            assertThat(error.getJsonRpcError().code()).isEqualTo(-32042);
            JsonNode elicitation = Json.MAPPER.valueToTree(error.getJsonRpcError().data()).path("elicitations").get(0);
            assertThat(elicitation.path("mode").asText()).isEqualTo("url");
            String url = elicitation.path("url").asText();
            assertThat(url).contains("/identities/oauth2/authorize?request_uri=");

            String sessionUri = fixture.consent(url);
            var data = fixture.keygate.dataClient(fixture.keygate.adminCredentials());
            assertThatThrownBy(() -> data.completeResourceTokenAuth(r -> r.sessionUri(sessionUri)
                    .userIdentifier(u -> u.userId("bob@example.com")))).hasMessageContaining("USER_MISMATCH");
            data.completeResourceTokenAuth(r -> r.sessionUri(sessionUri).userIdentifier(u -> u.userToken(jwt)));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15))
                    .until(() -> completed.contains(elicitation.path("elicitationId").asText()));

            fixture.target.clearAuthorizations();
            var result = client.callTool(new McpSchema.CallToolRequest("graph___echo", Map.of("city", "Bergen")));
            assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
            assertThat(fixture.target.authorizations()).isNotEmpty().allMatch(seen -> seen.startsWith("Bearer ey"))
                    .noneMatch(seen -> seen.contains(jwt)).noneMatch(seen -> seen.contains("api-key-123"));
        }
        try (McpSyncClient other = fixture.client(fixture.userJwt("carol"))) {
            McpError error = (McpError) org.assertj.core.api.Assertions.catchThrowable(() ->
                    other.callTool(new McpSchema.CallToolRequest("graph___echo", Map.of("city", "Bergen"))));
            assertThat(error.getJsonRpcError().code()).as("another user never gets bob's grant").isEqualTo(-32042);
        }
    }

    @Test
    void mcpEndpointWhenNoTokenBadTokenOrForeignOriginThenRefusedWithChallenge() throws Exception {
        HttpResponse<String> anonymous = fixture.browser.send(HttpRequest.newBuilder(URI.create(fixture.gatewayUrl))
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        String challenge = anonymous.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertThat(challenge).startsWith("Bearer resource_metadata=\"").contains("/.well-known/oauth-protected-resource/gateways/");
        String metadataUrl = challenge.replaceAll(".*resource_metadata=\"([^\"]+)\".*", "$1")
                .replace(fixture.keygate.server().publicUrl().toString(), fixture.keygate.server().localUrl().toString());
        JsonNode metadata = Json.MAPPER.readTree(fixture.browser.send(HttpRequest.newBuilder(URI.create(metadataUrl)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(metadata.path("authorization_servers").get(0).asText()).isEqualTo(fixture.idp.issuerUrl("default").toString());

        String wrongAudience = fixture.idp.issueToken("default", "eve", new DefaultOAuth2TokenCallback("default", "eve", "JWT",
                List.of("other-aud"), Map.of(), 3600)).serialize();
        HttpResponse<String> invalid = fixture.browser.send(HttpRequest.newBuilder(URI.create(fixture.gatewayUrl))
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"))
                .header("Authorization", "Bearer " + wrongAudience).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(invalid.statusCode()).isEqualTo(401);
        assertThat(invalid.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");
        assertThat(fixture.keygate.server().services().audit().list(null, 1000).items())
                .anyMatch(event -> event.event().equals("gateway-call-refused") && "INVALID_TOKEN".equals(event.outcome()));

        HttpResponse<String> foreign = fixture.browser.send(HttpRequest.newBuilder(URI.create(fixture.gatewayUrl))
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"))
                .header("Authorization", "Bearer " + fixture.userJwt("alice")).header("Origin", "https://evil.example").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).isEqualTo(403);
    }
}
