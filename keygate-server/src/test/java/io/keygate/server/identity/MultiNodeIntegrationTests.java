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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two Keygate nodes on one real PostgreSQL with the same master key and public URL, as behind a load
 * balancer: a 3LO flow started on one node completes through the other's callback, concurrent calls on
 * both nodes against one expired token make exactly one refresh grant (security.md TV-4), a key
 * rotation on one node is what the other seals and opens with (TV-2), and any node's sweep removes the
 * sessions another node started once they are past retention (I7, F6).
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
    private Map<String, String> environment;
    private Map<String, String> shared;

    @BeforeAll
    void start(@TempDir Path dirA, @TempDir Path dirB) throws Exception {
        idp.start(InetAddress.getByName("127.0.0.1"), 0);
        tokenEndpoint = new ScriptedTokenEndpoint(URI.create(idp.tokenEndpointUrl("default").toString()));
        environment = Map.of(MasterKeyLoader.ENVIRONMENT_VARIABLE, TestKeygate.newMasterKey());
        shared = Map.of("databaseUrl", TestPostgres.newDatabase(), "databaseUser", "postgres",
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
        return grant(userId, expirySeconds, nodeA, nodeB);
    }

    /** The whole 3LO flow: started, authorized and completed on {@code starter}, the callback on {@code other}. */
    private String grant(String userId, long expirySeconds, TestKeygate starter, TestKeygate other) throws Exception {
        BedrockAgentCoreClient data = starter == nodeA ? dataA : dataB;
        String wat = data.getWorkloadAccessTokenForUserId(r -> r.workloadName("agent").userId(userId)).workloadAccessToken();
        var started = data.getResourceOauth2Token(r -> r.workloadIdentityToken(wat).resourceCredentialProviderName("idp")
                .scopes("openid").oauth2Flow(Oauth2FlowType.USER_FEDERATION).resourceOauth2ReturnUrl(RETURN_URL));
        tokenEndpoint.expiresIn("authorization_code", expirySeconds);
        String toIdp = location(via(starter, started.authorizationUrl()));
        String toCallback = location(toIdp);
        assertThat(toCallback).startsWith(PUBLIC + "/identities/oauth2/callback/");
        String toApp = location(via(other, toCallback));
        String sessionUri = IdentityFixture.query(toApp).get("session_id");
        data.completeResourceTokenAuth(r -> r.sessionUri(sessionUri).userIdentifier(u -> u.userId(userId)));
        tokenEndpoint.clear();
        return wat;
    }

    private String token(BedrockAgentCoreClient data, String wat) {
        return data.getResourceOauth2Token(r -> r.workloadIdentityToken(wat).resourceCredentialProviderName("idp")
                .scopes("openid").oauth2Flow(Oauth2FlowType.USER_FEDERATION)).accessToken();
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

    @Test
    void keyRotationWhenRotatedOnOneNodeThenOtherNodeSealsUnderNewKeyAndOpensResealedRows(@TempDir Path dirC)
            throws Exception {
        String before = grant("rotating-user", 3600);
        String beforeToken = token(dataB, before);
        int oldPrimary = nodeB.server().services().keyRotation().status().primaryKeyId();

        int newPrimary = nodeA.server().services().keyRotation().rotate();
        nodeA.awaitKeySweepDone();

        var seenByB = nodeB.server().services().keyRotation().status();
        assertThat(seenByB.primaryKeyId()).isEqualTo(newPrimary).isNotEqualTo(oldPrimary);
        assertThat(seenByB.keys()).allMatch(key -> key.id() == newPrimary || key.sealedSecrets() == 0);
        assertThat(token(dataB, before)).as("B opens what A re-encrypted, with a WAT sealed before the rotation")
                .isEqualTo(beforeToken);
        String after = grant("rotated-user", 3600, nodeB, nodeA);
        assertThat(token(dataA, after)).as("A opens what B sealed after the rotation").isNotBlank();
        assertThat(nodeA.server().services().keyRotation().status().keys())
                .allMatch(key -> key.id() == newPrimary || key.sealedSecrets() == 0);

        try (TestKeygate later = TestKeygate.start(dirC, environment, shared)) {
            later.clock().advance(later.server().config().workloadAccessTokenTtl().plusHours(1));
            later.server().services().keyRotation().resumeIfUnfinished();
            later.awaitKeySweepDone();
        }
        assertThat(nodeB.server().services().keyRotation().status().keys()).filteredOn(key -> key.id() == oldPrimary)
                .singleElement().satisfies(key -> assertThat(key.enabled()).as("retired once WATs expired").isFalse());
        assertThat(token(dataB, after)).isNotBlank();
    }

    @Test
    void sessionSweepWhenAnotherNodeRunsItThenSessionsStartedHereAndPastRetentionAreGone(@TempDir Path dirC)
            throws Exception {
        tokenEndpoint.clear();
        String wat = dataA.getWorkloadAccessTokenForUserId(r -> r.workloadName("agent").userId("walked-away"))
                .workloadAccessToken();
        var started = dataA.getResourceOauth2Token(r -> r.workloadIdentityToken(wat).resourceCredentialProviderName("idp")
                .scopes("openid").oauth2Flow(Oauth2FlowType.USER_FEDERATION).resourceOauth2ReturnUrl(RETURN_URL));
        String stateAtIdp = IdentityFixture.query(location(via(nodeA, started.authorizationUrl()))).get("state");
        var admin = nodeA.server().services().accessKeys().create(AccessKey.Role.ADMIN, null, "inspector").accessKey();
        assertThat(nodeA.server().services().sessionInspector().inspect(admin, started.sessionUri()).status())
                .isEqualTo("AUTHORIZATION_OPENED");

        try (TestKeygate janitor = TestKeygate.start(dirC, environment, shared)) {
            assertThat(janitor.server().services().sessionInspector().sweepExpired()).as("not expired yet").isZero();
            janitor.clock().advance(nodeA.server().config().authSessionTtl().plus(Duration.ofHours(25)));
            assertThat(janitor.server().services().sessionInspector().sweepExpired()).isPositive();
        }

        assertThatThrownBy(() -> nodeA.server().services().sessionInspector().inspect(admin, started.sessionUri()))
                .hasMessageContaining("No session has this sessionUri");
        String lateCallback = PUBLIC + "/identities/oauth2/callback/x?state=" + stateAtIdp + "&code=late";
        assertThat(browser.send(HttpRequest.newBuilder(URI.create(via(nodeB, lateCallback))).build(),
                HttpResponse.BodyHandlers.ofString()).body()).contains("unknown");
        assertThat(tokenEndpoint.grants()).as("a swept session never reaches the token endpoint").isEmpty();
    }
}
