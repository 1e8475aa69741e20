package io.keygate.server.identity;

import io.keygate.access.AccessKey;
import io.keygate.crypto.MasterKeyLoader;
import io.keygate.identity.workload.WorkloadIdentityService;
import io.keygate.server.TestKeygate;
import io.keygate.testkit.TestPostgres;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.bedrockagentcore.BedrockAgentCoreClient;
import software.amazon.awssdk.services.bedrockagentcore.model.Oauth2FlowType;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.CredentialProviderVendorType;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two Keygate nodes on one real PostgreSQL with the same master key and public URL, as behind a load
 * balancer: a 3LO flow started on one node completes through the other's callback, and concurrent
 * calls on both nodes against one expired token make exactly one refresh grant (security.md TV-4).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiNodeIntegrationTests {
    private static final String PUBLIC = "http://keygate.test";
    private static final String RETURN_URL = "http://127.0.0.1:9/app/return";
    private final MockOAuth2Server idp = new MockOAuth2Server();
    private final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private ScriptedTokenEndpoint tokenEndpoint;
    private TestKeygate nodeA;
    private TestKeygate nodeB;
    private BedrockAgentCoreClient dataA;
    private BedrockAgentCoreClient dataB;

    @BeforeAll
    void start(@TempDir Path dirA, @TempDir Path dirB) throws Exception {
        idp.start(InetAddress.getByName("127.0.0.1"), 0);
        tokenEndpoint = new ScriptedTokenEndpoint(URI.create(idp.tokenEndpointUrl("default").toString()));
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Map<String, String> environment = Map.of(MasterKeyLoader.ENVIRONMENT_VARIABLE, Base64.getEncoder().encodeToString(key));
        Map<String, String> shared = Map.of("databaseUrl", TestPostgres.newDatabase(), "databaseUser", "postgres",
                "databasePassword", "postgres", "publicUrl", PUBLIC);
        nodeA = TestKeygate.start(dirA, environment, shared);
        nodeB = TestKeygate.start(dirB, environment, shared);
        var control = nodeA.controlClient();
        control.createWorkloadIdentity(r -> r.name("agent").allowedResourceOauth2ReturnUrls(RETURN_URL));
        nodeB.server().services().workloadIdentities().setTrustedIssuers("agent", List.of(
                new WorkloadIdentityService.TrustedIssuerRequest(idp.issuerUrl("default").toString(),
                        idp.wellKnownUrl("default").toString(), null, List.of(), null)));
        control.createOauth2CredentialProvider(r -> r.name("idp")
                .credentialProviderVendor(CredentialProviderVendorType.CUSTOM_OAUTH2)
                .oauth2ProviderConfigInput(c -> c.customOauth2ProviderConfig(custom -> custom
                        .oauthDiscovery(d -> d.authorizationServerMetadata(m -> m.issuer(idp.issuerUrl("default").toString())
                                .authorizationEndpoint(idp.authorizationEndpointUrl("default").toString())
                                .tokenEndpoint(tokenEndpoint.url().toString()).responseTypes("code")))
                        .clientId("keygate-client").clientSecret("secret"))));
        var agentKey = nodeB.server().services().accessKeys().create(AccessKey.Role.WORKLOAD, List.of("agent"), null);
        var credentials = TestKeygate.credentials(agentKey.accessKey().accessKeyId(), agentKey.secretAccessKey());
        dataA = nodeA.dataClient(credentials);
        dataB = nodeB.dataClient(credentials);
    }

    @AfterAll
    void stop() throws Exception {
        dataA.close();
        dataB.close();
        nodeA.close();
        nodeB.close();
        tokenEndpoint.close();
        idp.shutdown();
    }

    /** The load balancer: sends a public URL to one node. */
    private String via(TestKeygate node, String publicUrl) {
        return publicUrl.replace(PUBLIC, node.server().localUrl().toString());
    }

    private String location(String url) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .headers().firstValue("Location").orElseThrow();
    }

    private String grant(String userId, long expirySeconds) throws Exception {
        String wat = dataA.getWorkloadAccessTokenForUserId(r -> r.workloadName("agent").userId(userId)).workloadAccessToken();
        var started = dataA.getResourceOauth2Token(r -> r.workloadIdentityToken(wat).resourceCredentialProviderName("idp")
                .scopes("openid").oauth2Flow(Oauth2FlowType.USER_FEDERATION).resourceOauth2ReturnUrl(RETURN_URL));
        tokenEndpoint.expiresIn("authorization_code", expirySeconds);
        String toIdp = location(via(nodeA, started.authorizationUrl()));
        String toCallback = location(toIdp);
        assertThat(toCallback).startsWith(PUBLIC + "/identities/oauth2/callback/");
        String toApp = location(via(nodeB, toCallback));
        String sessionUri = IdentityFixture.query(toApp).get("session_id");
        dataA.completeResourceTokenAuth(r -> r.sessionUri(sessionUri).userIdentifier(u -> u.userId(userId)));
        tokenEndpoint.clear();
        return wat;
    }

    @Test
    void threeLeggedFlowWhenStartedOnOneNodeAndCallbackOnOtherThenCompletesAndServesFromBoth() throws Exception {
        String wat = grant("roaming-user", 3600);
        assertThat(dataB.getResourceOauth2Token(r -> r.workloadIdentityToken(wat).resourceCredentialProviderName("idp")
                .scopes("openid").oauth2Flow(Oauth2FlowType.USER_FEDERATION)).accessToken()).isNotBlank();
        assertThat(dataA.getResourceOauth2Token(r -> r.workloadIdentityToken(wat).resourceCredentialProviderName("idp")
                .scopes("openid").oauth2Flow(Oauth2FlowType.USER_FEDERATION)).accessToken()).isNotBlank();
        assertThat(tokenEndpoint.grants()).isEmpty();
    }

    @Test
    void refreshWhenBothNodesHammerOneExpiredTokenThenOneRefreshGrant() throws Exception {
        String wat = grant("storm-user", 1);
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            List<Future<String>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                BedrockAgentCoreClient client = i % 2 == 0 ? dataA : dataB;
                calls.add(pool.submit(() -> client.getResourceOauth2Token(r -> r.workloadIdentityToken(wat)
                        .resourceCredentialProviderName("idp").scopes("openid")
                        .oauth2Flow(Oauth2FlowType.USER_FEDERATION)).accessToken()));
            }
            List<String> tokens = new ArrayList<>();
            for (Future<String> call : calls) {
                tokens.add(call.get(90, TimeUnit.SECONDS));
            }
            assertThat(tokens).doesNotContainNull();
            assertThat(tokens.stream().distinct()).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(tokenEndpoint.grants()).containsExactly("refresh_token");
    }
}
