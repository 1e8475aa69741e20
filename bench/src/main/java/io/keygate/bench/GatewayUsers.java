package io.keygate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import software.amazon.awssdk.services.bedrockagentcorecontrol.BedrockAgentCoreControlClient;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.AuthorizerType;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * L2: many users calling tools of targets that each act with the user's own token from a different
 * OAuth provider (3LO through the gateway). A CUSTOM_JWT gateway over {@code providers} MCP server
 * targets (one in-process MCP server that lets any bearer token in), each target with its own OAuth2
 * provider; every user consents to every provider first (URL elicitation, scripted browser,
 * CompleteResourceTokenAuth with the user's JWT), then each user is one MCP client calling the targets in turn.
 */
final class GatewayUsers implements AutoCloseable {
    private static final String AUDIENCE = "bench-l2";
    private static final Pattern CONSENT_URL = Pattern.compile("(http://[^\"\\s]+/identities/oauth2/authorize\\?request_uri=[^\"\\s]+)");
    private final IdentityRig rig;
    private final TargetServer target;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    private final String gatewayUrl;
    private final List<String> targets = new ArrayList<>();

    GatewayUsers(IdentityRig rig, int providers) throws Exception {
        this.rig = rig;
        this.target = TargetServer.start(true, true);
        URI node = rig.node(0);
        try (BedrockAgentCoreControlClient control = rig.nodes.get(0).controlClient()) {
            var gateway = control.createGateway(r -> r.name("bench-l2").authorizerType(AuthorizerType.CUSTOM_JWT)
                    .authorizerConfiguration(a -> a.customJWTAuthorizer(j -> j
                            .discoveryUrl(rig.idp.wellKnownUrl("default").toString()).allowedAudience(AUDIENCE))));
            gatewayUrl = node + "/gateways/" + gateway.gatewayId() + "/mcp";
            for (int i = 1; i <= providers; i++) {
                String provider = "l2-provider-" + i;
                rig.createProvider(control, provider);
                String targetId = rig.calls.call(node, "/gateways/" + gateway.gatewayId() + "/targets/",
                        targetBody("l2-target-" + i, provider)).path("targetId").asText();
                KeygateProcess.awaitReady(control, gateway.gatewayId(), targetId);
                targets.add("l2-target-" + i + "___" + TargetServer.TOOL);
            }
        }
    }

    private JsonNode targetBody(String name, String provider) {
        ObjectNode body = KeygateProcess.echoTarget(name, target.endpoint().toString());
        ObjectNode oauth = body.putArray("credentialProviderConfigurations").addObject()
                .put("credentialProviderType", "OAUTH").putObject("credentialProvider").putObject("oauthCredentialProvider");
        oauth.put("providerArn", provider).put("grantType", "AUTHORIZATION_CODE").put("defaultReturnUrl", IdentityRig.RETURN_URL)
                .putArray("scopes").add("openid");
        return body;
    }

    int targetCount() {
        return targets.size();
    }

    /** One user: a JWT from the IdP and, once {@link #open}ed, an MCP session. */
    final class User {
        final String jwt;
        String session;
        private int calls;

        User(String subject) {
            jwt = rig.idp.issueToken("default", subject, new DefaultOAuth2TokenCallback("default", subject, "JWT",
                    List.of(AUDIENCE), Map.of(), 24 * 3600)).serialize();
        }

        void open() throws IOException, InterruptedException {
            HttpResponse<String> initialized = post(null, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
                    + "\"params\":{\"protocolVersion\":\"" + LoadGenerator.PROTOCOL_VERSION + "\",\"capabilities\":"
                    + "{\"elicitation\":{\"url\":{}}},\"clientInfo\":{\"name\":\"bench-l2\",\"version\":\"1\"}}}");
            session = initialized.headers().firstValue("Mcp-Session-Id").orElseThrow(() ->
                    new IllegalStateException("initialize answered " + initialized.statusCode() + ": " + initialized.body()));
            post(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        }

        /** Consents to every target's provider: the call asks for consent, the browser gives it, Keygate completes. */
        void consentToAll() throws IOException, InterruptedException {
            for (String tool : targets) {
                Matcher link = CONSENT_URL.matcher(call(tool).body());
                if (!link.find()) {
                    throw new IllegalStateException(tool + " did not ask for consent");
                }
                String next = link.group(1).replace("\\u0026", "&");
                for (int hop = 0; hop < 8 && next != null && !next.startsWith(IdentityRig.RETURN_URL); hop++) {
                    next = rig.calls.location(next);
                }
                rig.calls.call(rig.node(0), "/identities/CompleteResourceTokenAuth", Map.of("sessionUri",
                        sessionId(next), "userIdentifier", Map.of("userToken", jwt)));
            }
        }

        /** The next tool in turn; true when the target echoed. */
        boolean callNext() throws IOException, InterruptedException {
            HttpResponse<String> answer = call(targets.get(calls++ % targets.size()));
            JsonNode result = SignedCalls.JSON.readTree(answer.body()).path("result");
            return answer.statusCode() == 200 && !result.path("isError").asBoolean(false)
                    && result.path("content").path(0).path("text").asText().contains("bench");
        }

        private HttpResponse<String> call(String tool) throws IOException, InterruptedException {
            return post(session, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\""
                    + tool + "\",\"arguments\":{\"text\":\"bench\"}}}");
        }

        private HttpResponse<String> post(String sessionId, String body) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gatewayUrl)).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).header("Authorization", "Bearer " + jwt)
                    .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                    .header("MCP-Protocol-Version", LoadGenerator.PROTOCOL_VERSION);
            if (sessionId != null) {
                request.header("Mcp-Session-Id", sessionId);
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    private static String sessionId(String returnUrl) {
        if (returnUrl == null || !returnUrl.startsWith(IdentityRig.RETURN_URL)) {
            throw new IllegalStateException("the browser did not reach the return URL (ended at " + returnUrl + ")");
        }
        for (String pair : URI.create(returnUrl).getRawQuery().split("&")) {
            if (pair.startsWith("session_id=")) {
                return URLDecoder.decode(pair.substring("session_id=".length()), StandardCharsets.UTF_8);
            }
        }
        throw new IllegalStateException("no session_id in the return URL");
    }

    @Override
    public void close() throws Exception {
        target.close();
    }
}
