package io.keygate.server.crash;

import io.keygate.fault.FaultPoints;
import io.keygate.identity.session.AuthSession;
import io.keygate.server.gateway.SignedJson;
import io.keygate.server.TestKeygate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.bedrockagentcore.BedrockAgentCoreClient;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code kill -9} at the risky points (security.md F8, F9 a–d): a Keygate node in its own JVM on the
 * shared PostgreSQL stops at a named fault point and is killed with SIGKILL; then the surviving node
 * (and, where the point is a restart, a freshly started one) must show that no committed token was
 * lost, nothing is stored under the wrong user (I1), the stored refresh token is the IdP's current one
 * (I2), no code is redeemed twice (I6), every row still opens (I7), and that the flow goes on without
 * an operator.
 */
class CrashSafetyIntegrationTests {
    private CrashCluster cluster;

    @BeforeEach
    void start(@TempDir Path root) throws Exception {
        cluster = new CrashCluster(root);
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    private URI nodeA() {
        return cluster.nodeA.server().localUrl();
    }

    /** The browser opens {@code publicUrl} on the child, which is killed at {@code point}: no answer comes. */
    private void killWhileBrowsing(ChildNode child, String publicUrl, String point) throws Exception {
        var request = cluster.browser.sendAsync(HttpRequest.newBuilder(URI.create(CrashCluster.via(child.url(), publicUrl)))
                .build(), HttpResponse.BodyHandlers.ofString());
        child.awaitFault(point);
        child.kill();
        assertThatThrownBy(request::join).isInstanceOf(CompletionException.class).hasCauseInstanceOf(IOException.class);
        assertNoTokenIn(child);
    }

    /** I5: the killed node printed no token. */
    private void assertNoTokenIn(ChildNode child) {
        String output = String.join("\n", child.output());
        assertThat(cluster.ledger.issuedTokens()).as("I5").noneMatch(output::contains);
    }

    private void assertEveryCodeRedeemedOnce() {
        assertThat(cluster.ledger.redemptions()).as("I6").allSatisfy((presented, times) -> {
            if (presented.startsWith("code-")) {
                assertThat(times).as(presented).isEqualTo(1);
            }
        });
    }

    @Test
    void authorizeWhenNodeKilledAfterRecordingRedirectThenLinkOpensOnOtherNodeAndFlowCompletes() throws Exception {
        String wat = cluster.wat(cluster.dataA, "alice");
        String authorizationUrl;
        try (ChildNode child = cluster.child(FaultPoints.AUTHORIZE_REDIRECT, 1);
             BedrockAgentCoreClient dataChild = cluster.data(child.url())) {
            authorizationUrl = cluster.token(dataChild, wat).authorizationUrl();
            killWhileBrowsing(child, authorizationUrl, FaultPoints.AUTHORIZE_REDIRECT);
        }

        String sessionUri = cluster.consentOnA(authorizationUrl, "alice");
        cluster.dataA.completeResourceTokenAuth(r -> r.sessionUri(sessionUri).userIdentifier(u -> u.userId("alice")));

        String accessToken = cluster.token(cluster.dataA, wat).accessToken();
        assertThat(cluster.ledger.accountOf(accessToken)).isEqualTo("alice");
        assertThat(cluster.audit().assertConsistent(cluster.ledger)).hasSize(1);
        assertEveryCodeRedeemedOnce();
    }

    @Test
    void callbackWhenNodeKilledAfterCodeExchangeThenNothingStoredCodeNotRedeemedAgainAndConsentRedone() throws Exception {
        String wat = cluster.wat(cluster.dataA, "bob");
        var started = cluster.token(cluster.dataA, wat);
        cluster.ledger.signIn("bob");
        String toCallback = cluster.location(cluster.location(CrashCluster.via(nodeA(), started.authorizationUrl())));
        try (ChildNode child = cluster.child(FaultPoints.CODE_EXCHANGED, 1)) {
            killWhileBrowsing(child, toCallback, FaultPoints.CODE_EXCHANGED);
        }
        assertThat(cluster.audit().assertConsistent(cluster.ledger)).as("the exchanged tokens were never committed").isEmpty();

        cluster.nodeA.clock().advance(AuthSession.EXCHANGE_PATIENCE.plusSeconds(1));
        var polled = cluster.dataA.getResourceOauth2Token(r -> r.workloadIdentityToken(wat)
                .resourceCredentialProviderName("ledger").scopes("files").sessionUri(started.sessionUri())
                .oauth2Flow("USER_FEDERATION").resourceOauth2ReturnUrl(CrashCluster.RETURN_URL));
        assertThat(polled.sessionStatusAsString()).as("the workload polling learns the flow is dead").isEqualTo("FAILED");
        HttpResponse<String> reload = cluster.get(CrashCluster.via(nodeA(), toCallback));
        assertThat(reload.statusCode()).as("the user reloading the callback").isEqualTo(410);
        assertThat(reload.body()).contains("EXCHANGE_INTERRUPTED").contains("start again");

        String again = cluster.consentOnA(cluster.token(cluster.dataA, wat).authorizationUrl(), "bob");
        cluster.dataA.completeResourceTokenAuth(r -> r.sessionUri(again).userIdentifier(u -> u.userId("bob")));
        assertThat(cluster.ledger.accountOf(cluster.token(cluster.dataA, wat).accessToken())).isEqualTo("bob");
        assertThat(cluster.audit().assertConsistent(cluster.ledger)).hasSize(1);
        assertEveryCodeRedeemedOnce();
    }

    @ParameterizedTest(name = "grace window at the IdP: {0}")
    @ValueSource(booleans = {true, false})
    void refreshWhenNodeKilledAfterIdpRotatedThenLeaseLapsesAndOtherNodeRecovers(boolean graceWindow) throws Exception {
        cluster.ledger.expiresIn(30); // inside the refresh margin: the next read refreshes
        String wat = cluster.grantOnA("carol");
        String spent = cluster.ledger.currentRefreshToken("carol");
        cluster.ledger.expiresIn(3600);
        cluster.ledger.graceWindow(graceWindow);
        try (ChildNode child = cluster.child(FaultPoints.REFRESH_ANSWERED, 1);
             BedrockAgentCoreClient dataChild = cluster.data(child.url())) {
            var read = CompletableFuture.supplyAsync(() -> cluster.token(dataChild, wat));
            child.awaitFault(FaultPoints.REFRESH_ANSWERED);
            child.kill();
            assertThatThrownBy(read::join).hasCauseInstanceOf(SdkClientException.class);
            assertNoTokenIn(child);
        }
        assertThat(cluster.ledger.currentRefreshToken("carol")).as("the IdP rotated").isNotEqualTo(spent);

        cluster.nodeA.clock().advance(Duration.ofSeconds(31)); // the dead node's refresh lease lapses
        var after = cluster.token(cluster.dataA, wat);
        if (graceWindow) {
            assertThat(cluster.ledger.accountOf(after.accessToken())).isEqualTo("carol");
            assertThat(cluster.ledger.redemptions().get(spent)).as("I6: one replay inside the grace window").isEqualTo(2);
        } else {
            assertThat(after.accessToken()).as("the spent refresh token is refused: new consent").isNull();
            String sessionUri = cluster.consentOnA(after.authorizationUrl(), "carol");
            cluster.dataA.completeResourceTokenAuth(r -> r.sessionUri(sessionUri).userIdentifier(u -> u.userId("carol")));
            assertThat(cluster.ledger.accountOf(cluster.token(cluster.dataA, wat).accessToken())).isEqualTo("carol");
        }
        assertThat(cluster.audit().assertConsistent(cluster.ledger)).singleElement()
                .satisfies(row -> assertThat(row.needsReauth()).isNull());
        assertEveryCodeRedeemedOnce();
    }

    @Test
    void keySweepWhenNodeKilledMidSweepThenEveryRowOpensAndRestartResumesIt() throws Exception {
        String wat = cluster.grantOnA("dave");
        String before = cluster.token(cluster.dataA, wat).accessToken();
        var control = cluster.nodeA.controlClient();
        for (int i = 0; i < 12; i++) {
            int n = i;
            control.createApiKeyCredentialProvider(r -> r.name("key-" + n).apiKey("api-key-" + n));
        }
        int oldPrimary = cluster.nodeA.server().services().keyRotation().status().primaryKeyId();
        try (ChildNode child = cluster.child(FaultPoints.KEY_SWEEP_RESEALED, 5)) {
            var rotated = new SignedJson(child.url(), cluster.nodeA.adminCredentials())
                    .send("POST", "/keygate/v1/keys/rotate", "{}");
            assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
            child.awaitFault(FaultPoints.KEY_SWEEP_RESEALED);
            child.kill();
            assertNoTokenIn(child);
        }
        var halfway = cluster.nodeA.server().services().keyRotation().status();
        assertThat(halfway.primaryKeyId()).isNotEqualTo(oldPrimary);
        assertThat(halfway.keys()).as("rows under both keys").filteredOn(key -> key.sealedSecrets() > 0).hasSize(2);
        cluster.audit().assertConsistent(cluster.ledger);
        assertThat(cluster.token(cluster.dataA, wat).accessToken()).isEqualTo(before);

        try (TestKeygate restarted = cluster.start("restarted")) {
            restarted.awaitKeySweepDone();
        }
        assertThat(cluster.nodeA.server().services().keyRotation().status().keys())
                .filteredOn(key -> key.sealedSecrets() > 0).singleElement()
                .satisfies(key -> assertThat(key.id()).isEqualTo(halfway.primaryKeyId()));
        cluster.audit().assertConsistent(cluster.ledger);
        assertThat(cluster.token(cluster.dataA, wat).accessToken()).isEqualTo(before);
    }
}
