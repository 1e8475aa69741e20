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
    private static final String RETURN_URL = "http://127.0.0.1:9/app/return";
    private final MockOAuth2Server idp = new MockOAuth2Server();
    private final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private TestKeygate keygate;
    private TestMcpServer target;
    private String gatewayUrl;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        idp.start(InetAddress.getByName("127.0.0.1"), 0);
        keygate = TestKeygate.start(dataDir);
        target = TestMcpServer.start("echo");
        var control = keygate.controlClient();
        control.createApiKeyCredentialProvider(r -> r.name("weather-key").apiKey("api-key-123"));
        control.createOauth2CredentialProvider(r -> r.name("graph")
                .credentialProviderVendor(CredentialProviderVendorType.CUSTOM_OAUTH2)
                .oauth2ProviderConfigInput(c -> c.customOauth2ProviderConfig(custom -> custom
                        .oauthDiscovery(d -> d.discoveryUrl(idp.wellKnownUrl("default").toString()))
                        .clientId("graph-client").clientSecret("graph-secret"))));
        var gateway = control.createGateway(r -> r.name("users").authorizerType(AuthorizerType.CUSTOM_JWT)
                .authorizerConfiguration(a -> a.customJWTAuthorizer(j -> j.discoveryUrl(idp.wellKnownUrl("default").toString())
                        .allowedAudience("gateway-aud"))));
        gatewayUrl = gateway.gatewayUrl().replace(keygate.server().publicUrl().toString(), keygate.server().localUrl().toString());
        SignedJson signed = new SignedJson(keygate);
        String endpoint = target.endpoint().toString();
        assertThat(signed.send("POST", "/gateways/" + gateway.gatewayId() + "/targets/", "{\"name\":\"weather\","
                + "\"targetConfiguration\":{\"mcp\":{\"mcpServer\":{\"endpoint\":\"" + endpoint + "\"}}},"
                + "\"credentialProviderConfigurations\":[{\"credentialProviderType\":\"API_KEY\",\"credentialProvider\":"
                + "{\"apiKeyCredentialProvider\":{\"providerArn\":\"weather-key\",\"credentialLocation\":\"HEADER\"}}}]}")
                .status()).isEqualTo(202);
        String schema = Json.write(Map.of("tools", List.of(Map.of("name", "echo", "description", "Echo a city",
                "inputSchema", Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")))))));
        assertThat(signed.send("POST", "/gateways/" + gateway.gatewayId() + "/targets/", "{\"name\":\"graph\","
                + "\"targetConfiguration\":{\"mcp\":{\"mcpServer\":{\"endpoint\":\"" + endpoint + "\",\"mcpToolSchema\":"
                + "{\"inlinePayload\":" + Json.write(schema) + "}}}},"
                + "\"credentialProviderConfigurations\":[{\"credentialProviderType\":\"OAUTH\",\"credentialProvider\":"
                + "{\"oauthCredentialProvider\":{\"providerArn\":\"graph\",\"scopes\":[\"openid\"],"
                + "\"grantType\":\"AUTHORIZATION_CODE\",\"defaultReturnUrl\":\"" + RETURN_URL + "\"}}}]}").status())
                .isEqualTo(202);
    }

    @AfterAll
    void stop() throws Exception {
        target.close();
        keygate.close();
        idp.shutdown();
    }

    private String userJwt(String subject) {
        return idp.issueToken("default", subject, new DefaultOAuth2TokenCallback("default", subject, "JWT",
                List.of("gateway-aud"), Map.of(), 3600)).serialize();
    }

    private McpSyncClient client(String bearer) {
        var transport = HttpClientStreamableHttpTransport.builder(gatewayUrl).endpoint(gatewayUrl)
                .jsonMapper(new JacksonMcpJsonMapper(Json.MAPPER.copy()))
                .httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization", "Bearer " + bearer))
                .build();
        McpSyncClient client = McpClient.sync(transport).clientInfo(new McpSchema.Implementation("test-agent", "1.0"))
                .urlElicitation(request -> new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, null))
                .build();
        client.initialize();
        return client;
    }

    @Test
    void toolsWhenListedAndCalledWithApiKeyTargetThenTargetSeesKeyNotInboundToken() {
        String jwt = userJwt("alice");
        try (McpSyncClient client = client(jwt)) {
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                    .containsExactlyInAnyOrder("weather___echo", "graph___echo");
            target.clearAuthorizations();
            var result = client.callTool(new McpSchema.CallToolRequest("weather___echo", Map.of("city", "Oslo")));
            assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
            assertThat(result.content().toString()).contains("echo called");
            assertThat(target.authorizations()).contains("Bearer api-key-123").noneMatch(seen -> seen.contains(jwt));
        }
    }

    @Test
    void toolCallWhenUserHasNoGrantThenUrlElicitationAndAfterConsentTheUsersTokenReachesTarget() throws Exception {
        String jwt = userJwt("bob");
        try (McpSyncClient client = client(jwt)) {
            McpError error = (McpError) org.assertj.core.api.Assertions.catchThrowable(() ->
                    client.callTool(new McpSchema.CallToolRequest("graph___echo", Map.of("city", "Bergen"))));
            assertThat(error).isNotNull();
            assertThat(error.getJsonRpcError().code()).isEqualTo(-32042);
            JsonNode elicitation = Json.MAPPER.valueToTree(error.getJsonRpcError().data()).path("elicitations").get(0);
            assertThat(elicitation.path("mode").asText()).isEqualTo("url");
            String url = elicitation.path("url").asText();
            assertThat(url).contains("/identities/oauth2/authorize?request_uri=");

            String sessionUri = consent(url);
            var data = keygate.dataClient(keygate.adminCredentials());
            assertThatThrownBy(() -> data.completeResourceTokenAuth(r -> r.sessionUri(sessionUri)
                    .userIdentifier(u -> u.userId("bob@example.com")))).hasMessageContaining("USER_MISMATCH");
            data.completeResourceTokenAuth(r -> r.sessionUri(sessionUri).userIdentifier(u -> u.userToken(jwt)));

            target.clearAuthorizations();
            var result = client.callTool(new McpSchema.CallToolRequest("graph___echo", Map.of("city", "Bergen")));
            assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
            assertThat(target.authorizations()).isNotEmpty().allMatch(seen -> seen.startsWith("Bearer ey"))
                    .noneMatch(seen -> seen.contains(jwt)).noneMatch(seen -> seen.contains("api-key-123"));
        }
        try (McpSyncClient other = client(userJwt("carol"))) {
            McpError error = (McpError) org.assertj.core.api.Assertions.catchThrowable(() ->
                    other.callTool(new McpSchema.CallToolRequest("graph___echo", Map.of("city", "Bergen"))));
            assertThat(error.getJsonRpcError().code()).as("another user never gets bob's grant").isEqualTo(-32042);
        }
    }

    /** The browser: authorize → IdP → Keygate callback → the application's return URL; returns session_id. */
    private String consent(String authorizationUrl) throws Exception {
        String next = authorizationUrl.replace(keygate.server().publicUrl().toString(), keygate.server().localUrl().toString());
        for (int hop = 0; hop < 5 && !next.startsWith(RETURN_URL); hop++) {
            next = browser.send(HttpRequest.newBuilder(URI.create(next)).build(), HttpResponse.BodyHandlers.ofString())
                    .headers().firstValue("Location").orElseThrow();
        }
        String query = URI.create(next).getRawQuery();
        for (String pair : query.split("&")) {
            if (pair.startsWith("session_id=")) {
                return URLDecoder.decode(pair.substring("session_id=".length()), StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no session_id in " + next);
    }

    @Test
    void mcpEndpointWhenNoTokenBadTokenOrForeignOriginThenRefusedWithChallenge() throws Exception {
        HttpResponse<String> anonymous = browser.send(HttpRequest.newBuilder(URI.create(gatewayUrl))
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        String challenge = anonymous.headers().firstValue("WWW-Authenticate").orElseThrow();
        assertThat(challenge).startsWith("Bearer resource_metadata=\"").contains("/.well-known/oauth-protected-resource/gateways/");
        String metadataUrl = challenge.replaceAll(".*resource_metadata=\"([^\"]+)\".*", "$1")
                .replace(keygate.server().publicUrl().toString(), keygate.server().localUrl().toString());
        JsonNode metadata = Json.MAPPER.readTree(browser.send(HttpRequest.newBuilder(URI.create(metadataUrl)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(metadata.path("authorization_servers").get(0).asText()).isEqualTo(idp.issuerUrl("default").toString());

        String wrongAudience = idp.issueToken("default", "eve", new DefaultOAuth2TokenCallback("default", "eve", "JWT",
                List.of("other-aud"), Map.of(), 3600)).serialize();
        HttpResponse<String> invalid = browser.send(HttpRequest.newBuilder(URI.create(gatewayUrl))
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"))
                .header("Authorization", "Bearer " + wrongAudience).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(invalid.statusCode()).isEqualTo(401);
        assertThat(invalid.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_token\"");

        HttpResponse<String> foreign = browser.send(HttpRequest.newBuilder(URI.create(gatewayUrl))
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"))
                .header("Authorization", "Bearer " + userJwt("alice")).header("Origin", "https://evil.example").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(foreign.statusCode()).isEqualTo(403);
    }
}
