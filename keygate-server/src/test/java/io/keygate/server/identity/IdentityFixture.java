package io.keygate.server.identity;

import io.keygate.access.AccessKey;
import io.keygate.identity.workload.WorkloadIdentityService;
import io.keygate.server.TestKeygate;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.mockwebserver.RecordedRequest;
import software.amazon.awssdk.services.bedrockagentcore.BedrockAgentCoreClient;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.CredentialProviderVendorType;

import java.net.InetAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Keygate node plus mock-oauth2-server as the real IdP (issuer {@code default}) that both signs the
 * users' JWTs and serves as the downstream OAuth provider; a workload {@code agent} that trusts the IdP,
 * a CustomOauth2 provider {@code idp} configured by discovery URL, and a data-plane client signed with
 * a key scoped to the workload.
 */
final class IdentityFixture implements AutoCloseable {
    static final String WORKLOAD = "agent";
    static final String PROVIDER = "idp";
    /** The same IdP with its token endpoint behind {@link ScriptedTokenEndpoint}. */
    static final String SCRIPTED_PROVIDER = "idp-scripted";
    static final String RETURN_URL = "http://127.0.0.1:9/app/oauth-return";

    final MockOAuth2Server idp = new MockOAuth2Server();
    final TestKeygate keygate;
    final ScriptedTokenEndpoint tokenEndpoint;
    final BedrockAgentCoreClient data;
    final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    IdentityFixture(Path dataDir) throws Exception {
        idp.start(InetAddress.getByName("127.0.0.1"), 0);
        keygate = TestKeygate.start(dataDir);
        var control = keygate.controlClient();
        control.createWorkloadIdentity(r -> r.name(WORKLOAD).allowedResourceOauth2ReturnUrls(RETURN_URL));
        keygate.server().services().workloadIdentities().setTrustedIssuers(WORKLOAD, List.of(
                new WorkloadIdentityService.TrustedIssuerRequest(idp.issuerUrl("default").toString(),
                        idp.wellKnownUrl("default").toString(), null, List.of(), null)));
        control.createOauth2CredentialProvider(r -> r.name(PROVIDER)
                .credentialProviderVendor(CredentialProviderVendorType.CUSTOM_OAUTH2)
                .oauth2ProviderConfigInput(c -> c.customOauth2ProviderConfig(custom -> custom
                        .oauthDiscovery(d -> d.discoveryUrl(idp.wellKnownUrl("default").toString()))
                        .clientId("keygate-client").clientSecret("keygate-client-secret"))));
        tokenEndpoint = new ScriptedTokenEndpoint(URI.create(idp.tokenEndpointUrl("default").toString()));
        control.createOauth2CredentialProvider(r -> r.name(SCRIPTED_PROVIDER)
                .credentialProviderVendor(CredentialProviderVendorType.CUSTOM_OAUTH2)
                .oauth2ProviderConfigInput(c -> c.customOauth2ProviderConfig(custom -> custom
                        .oauthDiscovery(d -> d.authorizationServerMetadata(m -> m.issuer(idp.issuerUrl("default").toString())
                                .authorizationEndpoint(idp.authorizationEndpointUrl("default").toString())
                                .tokenEndpoint(tokenEndpoint.url().toString()).responseTypes("code")))
                        .clientId("keygate-client").clientSecret("keygate-client-secret"))));
        var key = keygate.server().services().accessKeys().create(AccessKey.Role.WORKLOAD, List.of(WORKLOAD), "agent key");
        data = keygate.dataClient(TestKeygate.credentials(key.accessKey().accessKeyId(), key.secretAccessKey()));
        drainIdpRequests();
    }

    /** A JWT for {@code subject} signed by the IdP, as an application's login would give it. */
    String userJwt(String subject) {
        return idp.issueToken("default", subject, new DefaultOAuth2TokenCallback("default", subject, "JWT",
                List.of("agent-app"), Map.of("email", subject + "@example.com"), 3600)).serialize();
    }

    String watForJwt(String userJwt) {
        return data.getWorkloadAccessTokenForJWT(r -> r.workloadName(WORKLOAD).userToken(userJwt)).workloadAccessToken();
    }

    String watForUserId(String userId) {
        return data.getWorkloadAccessTokenForUserId(r -> r.workloadName(WORKLOAD).userId(userId)).workloadAccessToken();
    }

    /** What the browser ends with: the last response and every Location it followed. */
    record BrowserRun(HttpResponse<String> last, List<String> locations) {
        String finalLocation() {
            return locations.isEmpty() ? null : locations.get(locations.size() - 1);
        }
    }

    /** Follows redirects like a browser until it leaves Keygate and the IdP (the application's return URL). */
    BrowserRun open(String url) throws Exception {
        List<String> locations = new ArrayList<>();
        String next = url;
        HttpResponse<String> response = null;
        for (int hop = 0; hop < 10 && next != null && !next.startsWith(RETURN_URL); hop++) {
            response = browser.send(HttpRequest.newBuilder(URI.create(next)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            next = response.headers().firstValue("Location").orElse(null);
            if (next != null) {
                locations.add(next);
            }
        }
        return new BrowserRun(response, locations);
    }

    /** Opens only the authorization URL and returns where Keygate sends the browser (the IdP). */
    String authorizeOnly(String authorizationUrl) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(authorizationUrl)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).headers().firstValue("Location").orElseThrow();
    }

    static Map<String, String> query(String url) {
        Map<String, String> parameters = new HashMap<>();
        String query = URI.create(url).getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            int equals = pair.indexOf('=');
            parameters.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }

    /** The requests the IdP received since the last call, by form grant_type (or path). */
    List<String> drainIdpRequests() {
        List<String> seen = new ArrayList<>();
        RecordedRequest request;
        while ((request = takeOrNull()) != null) {
            String body = request.getBody().readUtf8();
            String path = request.getPath() == null ? "" : request.getPath();
            seen.add(path.contains("/token") ? "token:" + query("http://x/?" + body).get("grant_type")
                    : path.replaceAll("\\?.*", ""));
        }
        return seen;
    }

    private RecordedRequest takeOrNull() {
        try {
            return idp.takeRequest(50, TimeUnit.MILLISECONDS);
        } catch (RuntimeException queueEmpty) {
            return null;
        }
    }

    @Override
    public void close() throws Exception {
        data.close();
        keygate.close();
        tokenEndpoint.close();
        idp.shutdown();
    }
}
