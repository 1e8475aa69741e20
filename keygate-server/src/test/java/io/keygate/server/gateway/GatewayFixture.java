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
 * A CUSTOM_JWT gateway over a real MCP server target behind an API key ({@code weather}) and another
 * that needs the user's own token ({@code graph}, 3LO), mock-oauth2-server as the IdP for both the
 * inbound JWTs and the downstream grant, and an MCP Java SDK client factory.
 */
final class GatewayFixture implements AutoCloseable {
    static final String RETURN_URL = "http://127.0.0.1:9/app/return";
    final MockOAuth2Server idp = new MockOAuth2Server();
    final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    final TestKeygate keygate;
    final TestMcpServer target;
    final String gatewayUrl;
    final String gatewayId;

    GatewayFixture(Path dataDir) throws Exception {
        this(TestKeygate.start(dataDir));
    }

    /** The gateway and its targets on {@code keygate}, which the fixture closes. */
    GatewayFixture(TestKeygate keygate) throws Exception {
        idp.start(InetAddress.getByName("127.0.0.1"), 0);
        this.keygate = keygate;
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
        gatewayId = gateway.gatewayId();
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

    @Override
    public void close() throws Exception {
        target.close();
        keygate.close();
        idp.shutdown();
    }

    String userJwt(String subject) {
        return idp.issueToken("default", subject, new DefaultOAuth2TokenCallback("default", subject, "JWT",
                List.of("gateway-aud"), Map.of(), 3600)).serialize();
    }

    McpSyncClient client(String bearer) {
        return client(bearer, true);
    }

    /** A client for {@code bearer}; {@code urlElicitation} says whether it declares URL elicitation. */
    McpSyncClient client(String bearer, boolean urlElicitation) {
        return client(bearer, urlElicitation, notification -> { });
    }

    /** A client that also hears {@code notifications/elicitation/complete} on its event stream. */
    McpSyncClient client(String bearer, boolean urlElicitation,
                         java.util.function.Consumer<McpSchema.ElicitationCompleteNotification> onComplete) {
        return client(bearer, urlElicitation, onComplete, uri -> uri);
    }

    /** A client whose every request goes where {@code route} sends it (a load balancer in front of several nodes). */
    McpSyncClient client(String bearer, boolean urlElicitation,
                         java.util.function.Consumer<McpSchema.ElicitationCompleteNotification> onComplete,
                         java.util.function.UnaryOperator<URI> route) {
        var transport = HttpClientStreamableHttpTransport.builder(gatewayUrl).endpoint(gatewayUrl)
                .jsonMapper(new JacksonMcpJsonMapper(Json.MAPPER.copy()))
                .httpRequestCustomizer((request, method, uri, body, context) -> request.uri(route.apply(uri))
                        .header("Authorization", "Bearer " + bearer))
                .build();
        var spec = McpClient.sync(transport).clientInfo(new McpSchema.Implementation("test-agent", "1.0"));
        if (urlElicitation) {
            spec.urlElicitation(request -> new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, null))
                    .elicitationCompleteConsumer(onComplete);
        }
        McpSyncClient client = spec.build();
        client.initialize();
        return client;
    }

    /** An MCP client without a token, for gateways whose authorizer is NONE. */
    static McpSyncClient anonymousClient(String gatewayUrl) {
        var transport = HttpClientStreamableHttpTransport.builder(gatewayUrl).endpoint(gatewayUrl)
                .jsonMapper(new JacksonMcpJsonMapper(Json.MAPPER.copy())).build();
        McpSyncClient client = McpClient.sync(transport).clientInfo(new McpSchema.Implementation("test-agent", "1.0")).build();
        client.initialize();
        return client;
    }

    /** The text of a tool result's first content item. */
    static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    /** One raw MCP POST to the gateway, as a client would send it. */
    HttpResponse<String> post(String body, String authorization, String session) throws Exception {
        return post(gatewayUrl, body, authorization, session);
    }

    /** One raw MCP POST to {@code url} (another gateway's MCP endpoint), as a client would send it. */
    HttpResponse<String> post(String url, String body, String authorization, String session) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").header("Authorization", authorization);
        if (session != null) {
            request.header("Mcp-Session-Id", session);
        }
        return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The browser: authorize → IdP → Keygate callback → the application's return URL; returns session_id. */
    String consent(String authorizationUrl) throws Exception {
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
}
