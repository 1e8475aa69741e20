package io.keygate.server.reliability;

import io.keygate.identity.vault.ReconsentReason;
import io.keygate.identity.vault.RefreshPolicy;
import io.keygate.identity.vault.UserTokenVault;
import io.keygate.server.reliability.FaultInjectingResourceStore.Mode;
import io.keygate.server.reliability.RecordingIdp.Fault;
import io.keygate.server.reliability.RecordingIdp.Rotation;
import io.keygate.server.reliability.Scenario.Kind;
import io.keygate.server.reliability.Scenario.Outcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CI tier of security.md Part 4 for token refresh: every scenario runs two vault nodes on one
 * PostgreSQL against the {@link RecordingIdp} on loopback, bounded in calls and time, checks its own
 * expected outcome and then the invariants I1-I7 ({@link Invariants}); the table of all scenarios is
 * printed at the end and written to {@code target/reliability-table.md}.
 * Covers TV-4 (F10), TV-5, TV-6 (F1, F2, F3, F4), F9c/F10 lease holder stopped mid-refresh, F15 store faults.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReliabilitySuiteTests {
    private static final Duration EXPIRED = RecordingIdp.ACCESS_TOKEN_LIFETIME.multipliedBy(2);
    private final ReliabilityTable table = new ReliabilityTable();

    @AfterAll
    void publish() throws Exception {
        table.publish(Path.of("target", "reliability-table.md"));
    }

    /** Checks I1-I7, adds the table row and fails the test on any violation. */
    private void finish(Scenario scenario) {
        List<Invariants.Check> checks = Invariants.check(scenario);
        table.add(scenario, checks);
        assertThat(checks).allSatisfy(check -> assertThat(check.held()).as(check.id() + ": " + check.detail()).isTrue());
    }

    record Nodes(VaultNode a, VaultNode b) {
    }

    /** Two nodes; alice consented through the first, and her access token has expired since. */
    private static Nodes expiredGrantOnTwoNodes(Scenario scenario) {
        Nodes nodes = new Nodes(scenario.node(), scenario.node());
        scenario.consent(nodes.a(), "alice");
        scenario.clock.advance(EXPIRED);
        return nodes;
    }

    private static List<Kind> kinds(List<Outcome> outcomes) {
        return outcomes.stream().map(Outcome::kind).distinct().toList();
    }

    @Test
    void refreshWhenTwoNodesSendHundredCallsEachOnOneExpiredTokenThenOneRefreshGrantAndOneNewToken() throws Exception {
        try (Scenario scenario = new Scenario("S01 2 nodes x 100 concurrent calls, one expired token", "TV-4, F10")) {
            VaultNode a = scenario.node();
            VaultNode b = scenario.node();
            for (String user : List.of("alice", "bob", "carol")) {
                scenario.consent(a, user);
            }
            String expired = a.storedTokens("alice").accessToken();
            scenario.clock.advance(EXPIRED);
            List<Outcome> outcomes = scenario.concurrently(100, "alice", a, b);
            assertThat(kinds(outcomes)).containsExactly(Kind.TOKEN);
            assertThat(outcomes.stream().map(Outcome::token).distinct()).hasSize(1).doesNotContain(expired);
            assertThat(scenario.idp.refreshGrants()).isEqualTo(1);
            assertThat(((UserTokenVault.Hit) a.call("alice")).accessToken()).isEqualTo(outcomes.get(0).token());
            finish(scenario);
        }
    }

    @Test
    void refreshWhenIdpRevokesFamilyOnReuseThenRotationsNeverReuseAToken() throws Exception {
        try (Scenario scenario = new Scenario("S02 3 rotations under load, reuse revokes the family", "TV-4, TV-5")) {
            scenario.idp.rotation(Rotation.REUSE_REVOKES_FAMILY, Duration.ZERO);
            VaultNode a = scenario.node();
            VaultNode b = scenario.node();
            scenario.consent(b, "alice");
            String previous = null;
            for (int round = 1; round <= 3; round++) {
                scenario.clock.advance(EXPIRED);
                List<Outcome> outcomes = scenario.concurrently(25, "alice", a, b);
                assertThat(kinds(outcomes)).containsExactly(Kind.TOKEN);
                assertThat(outcomes.stream().map(Outcome::token).distinct()).hasSize(1).doesNotContain(previous);
                previous = outcomes.get(0).token();
                assertThat(scenario.idp.refreshGrants("issued")).isEqualTo(round);
            }
            assertThat(scenario.idp.refreshGrants()).isEqualTo(3);
            finish(scenario);
        }
    }

    @Test
    void refreshWhenIdpAnswers5xxThenBoundedRetriesSharedCooldownAndRecovery() throws Exception {
        try (Scenario scenario = new Scenario("S03 IdP 503/502/500, then recovery", "TV-6, F1")) {
            Nodes nodes = expiredGrantOnTwoNodes(scenario);
            VaultNode a = nodes.a();
            VaultNode b = nodes.b();
            scenario.idp.script(Fault.status(503), Fault.status(502), Fault.status(500));
            assertThat(kinds(scenario.concurrently(10, "alice", a, b))).containsExactly(Kind.RETRYABLE_ERROR);
            assertThat(kinds(scenario.concurrently(5, "alice", a, b))).containsExactly(Kind.RETRYABLE_ERROR);
            assertThat(scenario.idp.refreshGrants()).as("attempts in one cooldown, across both nodes").isEqualTo(3);
            assertThat(scenario.outcomes.get(0).message()).contains("HTTP 50").contains("the grant is kept: retry after");
            scenario.clock.advance(Duration.ofSeconds(11));
            assertThat(scenario.call(b, "alice").kind()).isEqualTo(Kind.TOKEN);
            assertThat(scenario.idp.refreshGrants("issued")).isEqualTo(1);
            finish(scenario);
        }
    }

    @Test
    void refreshWhenIdpAnswers429WithRetryAfterThenNoNodeCallsBeforeItPasses() throws Exception {
        try (Scenario scenario = new Scenario("S04 IdP 429 with Retry-After 60 s", "TV-6, F4")) {
            Nodes nodes = expiredGrantOnTwoNodes(scenario);
            VaultNode a = nodes.a();
            VaultNode b = nodes.b();
            scenario.idp.script(Fault.tooManyRequests(Duration.ofSeconds(60)));
            assertThat(scenario.call(a, "alice").message()).contains("HTTP 429");
            scenario.clock.advance(Duration.ofSeconds(30));
            assertThat(kinds(scenario.concurrently(5, "alice", a, b))).containsExactly(Kind.RETRYABLE_ERROR);
            assertThat(scenario.idp.refreshGrants()).isEqualTo(1);
            scenario.clock.advance(Duration.ofSeconds(31));
            assertThat(kinds(scenario.concurrently(5, "alice", a, b))).containsExactly(Kind.TOKEN);
            assertThat(scenario.idp.refreshGrants()).isEqualTo(2);
            finish(scenario);
        }
    }

    @Test
    void refreshWhenAnswerLostAfterRotationInsideGraceWindowThenReplayRecovers() throws Exception {
        try (Scenario scenario = new Scenario("S05 answer lost after rotation, inside the grace window", "TV-6, F2")) {
            scenario.idp.rotation(Rotation.GRACE, Duration.ofSeconds(30));
            VaultNode a = scenario.node();
            scenario.consent(a, "alice");
            scenario.clock.advance(EXPIRED);
            scenario.idp.script(Fault.lostAnswer(VaultNode.PAST_CLIENT_TIMEOUT));
            assertThat(scenario.call(a, "alice").kind()).isEqualTo(Kind.TOKEN);
            assertThat(scenario.idp.refreshGrants("issued")).isEqualTo(1);
            assertThat(scenario.idp.refreshGrants("replayed")).isEqualTo(1);
            finish(scenario);
        }
    }

    @Test
    void refreshWhenAnswerLostAndStrictIdpRefusesReplayThenReconsentSaysWhy() throws Exception {
        try (Scenario scenario = new Scenario("S06 answer lost after rotation, strict single use", "TV-6, F2")) {
            Nodes nodes = expiredGrantOnTwoNodes(scenario);
            VaultNode a = nodes.a();
            VaultNode b = nodes.b();
            scenario.idp.script(Fault.lostAnswer(VaultNode.PAST_CLIENT_TIMEOUT));
            Outcome outcome = scenario.call(a, "alice");
            assertThat(outcome.kind()).isEqualTo(Kind.RECONSENT);
            assertThat(outcome.message()).contains(ReconsentReason.REFRESH_OUTCOME_UNKNOWN).contains("answer was lost");
            assertThat(kinds(scenario.concurrently(5, "alice", a, b))).containsExactly(Kind.RECONSENT);
            assertThat(scenario.idp.refreshGrants()).isEqualTo(2);
            scenario.expectReconsent("alice");
            finish(scenario);
        }
    }

    @Test
    void refreshWhenOutcomeUnknownAndReplayWindowPassesThenReconsentWithoutResending() throws Exception {
        try (Scenario scenario = new Scenario("S07 answer lost, replay window passes during an outage", "TV-6, F2")) {
            scenario.idp.rotation(Rotation.GRACE, Duration.ofSeconds(30));
            Nodes nodes = expiredGrantOnTwoNodes(scenario);
            VaultNode a = nodes.a();
            VaultNode b = nodes.b();
            Duration stall = VaultNode.PAST_CLIENT_TIMEOUT;
            scenario.idp.script(Fault.lostAnswer(stall), Fault.noAnswer(stall), Fault.noAnswer(stall));
            assertThat(scenario.call(a, "alice").kind()).isEqualTo(Kind.RETRYABLE_ERROR);
            scenario.clock.advance(Duration.ofSeconds(31));
            Outcome outcome = scenario.call(b, "alice");
            assertThat(outcome.kind()).isEqualTo(Kind.RECONSENT);
            assertThat(outcome.message()).contains(ReconsentReason.REFRESH_OUTCOME_UNKNOWN);
            assertThat(scenario.idp.refreshGrants()).as("not resent after the window").isEqualTo(3);
            scenario.expectReconsent("alice");
            finish(scenario);
        }
    }

    @Test
    void refreshWhenStoreFailsWhileStoringRotatedTokensThenTokensKeptOrRecovered() throws Exception {
        try (Scenario scenario = new Scenario("S08 store faults while storing rotated tokens", "TV-5, F8, F15")) {
            scenario.idp.rotation(Rotation.GRACE, Duration.ofSeconds(60));
            VaultNode a = scenario.node();
            scenario.consent(a, "alice");
            String kind = UserTokenVault.KIND;
            scenario.clock.advance(EXPIRED);
            a.store.inject("commit", kind, 1, 1, Mode.THROW_AFTER_COMMIT, null);
            assertThat(scenario.call(a, "alice").kind()).as("commit landed, then the connection dropped")
                    .isEqualTo(Kind.TOKEN);
            scenario.clock.advance(EXPIRED);
            a.store.inject("commit", kind, 1, 2, Mode.FAIL, null);
            assertThat(scenario.call(a, "alice").kind()).as("two failed commits, third stored").isEqualTo(Kind.TOKEN);
            scenario.clock.advance(EXPIRED);
            a.store.inject("commit", kind, 1, 3, Mode.FAIL, null);
            assertThat(scenario.call(a, "alice").kind()).as("store down after the IdP rotated")
                    .isEqualTo(Kind.RETRYABLE_ERROR);
            assertThat(scenario.call(a, "alice").kind()).as("old token replayed inside the IdP's window")
                    .isEqualTo(Kind.TOKEN);
            assertThat(a.store.injected()).isEqualTo(6);
            assertThat(scenario.idp.refreshGrants("issued")).isEqualTo(3);
            assertThat(scenario.idp.refreshGrants("replayed")).isEqualTo(1);
            finish(scenario);
        }
    }

    @Test
    void refreshWhenLeaseHolderStopsMidRefreshThenOtherNodeTakesOverAfterTheLease() throws Exception {
        try (Scenario scenario = new Scenario("S09 lease holder stops after the IdP rotated; IdP grace 60 s",
                "TV-4, F9c, F10")) {
            scenario.idp.rotation(Rotation.GRACE, Duration.ofSeconds(60));
            Nodes nodes = expiredGrantOnTwoNodes(scenario);
            VaultNode a = nodes.a();
            VaultNode b = nodes.b();
            a.stopAfterIdpAnswers();
            assertThat(scenario.call(a, "alice").kind()).isEqualTo(Kind.NODE_STOPPED);
            List<Outcome> survivors = takeOverAfterLease(scenario, b);
            assertThat(kinds(survivors)).containsExactly(Kind.TOKEN);
            assertThat(scenario.idp.refreshGrants("issued")).isEqualTo(1);
            assertThat(scenario.idp.refreshGrants("replayed")).isEqualTo(1);
            finish(scenario);
        }
    }

    @Test
    void refreshWhenLeaseHolderStopsAndStrictIdpRefusesOldTokenThenReconsentSaysWhy() throws Exception {
        try (Scenario scenario = new Scenario("S10 lease holder stops after the IdP rotated; strict IdP",
                "TV-4, TV-6, F9c, F10")) {
            Nodes nodes = expiredGrantOnTwoNodes(scenario);
            VaultNode a = nodes.a();
            VaultNode b = nodes.b();
            a.stopAfterIdpAnswers();
            assertThat(scenario.call(a, "alice").kind()).isEqualTo(Kind.NODE_STOPPED);
            List<Outcome> survivors = takeOverAfterLease(scenario, b);
            assertThat(kinds(survivors)).containsExactly(Kind.RECONSENT);
            assertThat(survivors.get(0).message()).contains(ReconsentReason.REFRESH_OUTCOME_UNKNOWN);
            assertThat(scenario.idp.refreshGrants()).isEqualTo(2);
            scenario.expectReconsent("alice");
            finish(scenario);
        }
    }

    /** Calls on the surviving node wait on the dead node's lease until the clock passes it. */
    private static List<Outcome> takeOverAfterLease(Scenario scenario, VaultNode survivor) throws Exception {
        AtomicLong grantsWhileLeased = new AtomicLong(-1);
        Thread mover = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            grantsWhileLeased.set(scenario.idp.refreshGrants());
            scenario.clock.advance(Duration.ofSeconds(31));
        });
        mover.start();
        List<Outcome> outcomes = scenario.concurrently(10, "alice", survivor);
        mover.join();
        assertThat(grantsWhileLeased.get()).as("nobody refreshes while the lease holds").isEqualTo(1);
        return outcomes;
    }

    @Test
    void refreshWhenIdpRefusesWithInvalidGrantThenTerminalPersistedAndNotRetried() throws Exception {
        try (Scenario scenario = new Scenario("S11 grant revoked at the IdP (invalid_grant)", "TV-6, F3")) {
            VaultNode a = scenario.node();
            VaultNode b = scenario.node();
            scenario.consent(a, "alice");
            scenario.consent(a, "bob");
            scenario.idp.revokeFamilyOf(a.storedTokens("alice").refreshToken());
            scenario.clock.advance(EXPIRED);
            List<Outcome> outcomes = scenario.concurrently(10, "alice", a, b);
            assertThat(kinds(outcomes)).containsExactly(Kind.RECONSENT);
            assertThat(outcomes.get(0).message()).contains("invalid_grant");
            assertThat(scenario.call(b, "bob").kind()).isEqualTo(Kind.TOKEN);
            assertThat(scenario.idp.refreshGrants()).isEqualTo(2);
            scenario.expectReconsent("alice");
            finish(scenario);
        }
    }

    @Test
    void refreshWhenStoreFailsRandomlyDuringAStormThenOnlyTokensOrRetryableErrorsAndNothingLost() throws Exception {
        try (Scenario scenario = new Scenario("S12 2 nodes x 50 calls, 20% of store writes and 10% of reads fail",
                "TV-4, TV-5, F15")) {
            scenario.idp.rotation(Rotation.GRACE, Duration.ofSeconds(60));
            // A store failure right after a node took the lease leaves it until it lapses: a short lease keeps
            // the other node's wait short.
            RefreshPolicy shortLease = new RefreshPolicy(Duration.ofSeconds(60), Duration.ofSeconds(3), 3,
                    Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(30));
            Nodes nodes = new Nodes(scenario.node(shortLease), scenario.node(shortLease));
            scenario.consent(nodes.a(), "alice");
            scenario.clock.advance(EXPIRED);
            for (VaultNode node : List.of(nodes.a(), nodes.b())) {
                node.store.injectRandomly("commit", UserTokenVault.KIND, 0.2, Mode.FAIL, null);
                node.store.injectRandomly("find", UserTokenVault.KIND, 0.1, Mode.FAIL, null);
                node.store.injectRandomly("find", UserTokenVault.KIND, 0.2, Mode.SLOW, Duration.ofMillis(20));
            }
            List<Outcome> storm = scenario.concurrently(50, "alice", nodes.a(), nodes.b());
            assertThat(kinds(storm)).containsAnyOf(Kind.TOKEN, Kind.RETRYABLE_ERROR)
                    .isSubsetOf(Kind.TOKEN, Kind.RETRYABLE_ERROR);
            assertThat(nodes.a().store.injected() + nodes.b().store.injected()).isPositive();
            nodes.a().store.heal();
            nodes.b().store.heal();
            scenario.clock.advance(Duration.ofSeconds(4));
            assertThat(kinds(scenario.concurrently(5, "alice", nodes.a(), nodes.b()))).containsExactly(Kind.TOKEN);
            finish(scenario);
        }
    }
}
