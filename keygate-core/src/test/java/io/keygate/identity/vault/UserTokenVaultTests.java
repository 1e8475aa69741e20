package io.keygate.identity.vault;

import io.keygate.crypto.KeyringService;
import io.keygate.crypto.MasterKey;
import io.keygate.error.ServiceException;
import io.keygate.oauth.TokenError;
import io.keygate.oauth.TokenResponse;
import io.keygate.oauth.TokenSuccess;
import io.keygate.oauth.TransientTokenException;
import io.keygate.store.InMemoryResourceStore;
import io.keygate.store.SealedDocuments;
import io.keygate.testing.ManualClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The vault's refresh rules on a clock that only moves when the vault sleeps: error classes of security.md
 * TV-6 (F1 5xx, F2 unknown outcome, F3 invalid_grant, F4 429 with Retry-After), the cooldown shared through
 * the store, rotation kept together (TV-5) and a lapsed lease taken over (TV-4, F10).
 */
class UserTokenVaultTests {
    private static final Instant START = Instant.parse("2026-03-04T05:06:07Z");
    private static final List<String> SCOPES = List.of("read");
    private final ManualClock clock = new ManualClock(START);
    private final InMemoryResourceStore store = new InMemoryResourceStore();
    private final Deque<Supplier<TokenResponse>> answers = new ArrayDeque<>();
    private final List<String> sent = new ArrayList<>();
    private final List<Duration> sleeps = new ArrayList<>();
    private SealedDocuments<VaultEntry, VaultTokens> entries;

    @BeforeEach
    void unseal() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        KeyringService keyrings = new KeyringService(store, clock);
        keyrings.unseal(() -> MasterKey.fromBase64(Base64.getEncoder().encodeToString(key), "test"));
        entries = new SealedDocuments<>(store, keyrings, clock, UserTokenVault.KIND, VaultEntry.class, VaultTokens.class);
    }

    private UserTokenVault node(Duration replayGrace) {
        return new UserTokenVault(entries, (provider, refreshToken, scopes) -> {
            sent.add(refreshToken);
            return answers.isEmpty() ? new TokenError("unscripted", null, 400) : answers.poll().get();
        }, clock, RefreshPolicy.defaults().withReplayGrace(replayGrace), duration -> {
            sleeps.add(duration);
            clock.advance(duration);
        });
    }

    private UserTokenVault node() {
        return node(Duration.ofSeconds(30));
    }

    /** Stores a grant whose access token expires {@code in} from now. */
    private void grant(String accessToken, String refreshToken, Duration in) {
        assertThat(entries.commit(node().storeWrite("agent", "user-id:u", "idp", SCOPES, accessToken, refreshToken,
                clock.instant().plus(in)))).isTrue();
    }

    private UserTokenVault.Lookup call(UserTokenVault vault) {
        return vault.accessToken("agent", "user-id:u", "idp", SCOPES);
    }

    private VaultEntry entry() {
        return node().inspect("agent", "user-id:u", "idp").orElseThrow();
    }

    private VaultTokens tokens() {
        return entries.find(UserTokenVault.nameOf("agent", "user-id:u", "idp")).orElseThrow().secrets();
    }

    /** Another node took the refresh lease for 30 s; returns the entry's name. */
    private String leaseHeldBy(String node) {
        var current = entries.find(UserTokenVault.nameOf("agent", "user-id:u", "idp")).orElseThrow();
        assertThat(entries.commit(entries.update(current, current.document().withLease(node,
                clock.instant().plusSeconds(30)), current.secrets()))).isTrue();
        return current.name();
    }

    private void answer(TokenResponse response) {
        answers.add(() -> response);
    }

    private void fail(int status, Duration retryAfter, boolean outcomeUnknown) {
        answers.add(() -> {
            throw new TransientTokenException("token endpoint failed", status, retryAfter, outcomeUnknown, null);
        });
    }

    private static TokenSuccess rotated(String accessToken, String refreshToken) {
        return new TokenSuccess(accessToken, refreshToken, START.plus(Duration.ofHours(2)), null, null, "Bearer");
    }

    @Test
    void accessTokenWhenNearExpiryThenRefreshedOnceAndRotatedPairStoredTogether() {
        grant("at-1", "rt-1", Duration.ofSeconds(30));
        answer(rotated("at-2", "rt-2"));
        assertThat(call(node())).isEqualTo(new UserTokenVault.Hit("at-2"));
        assertThat(sent).containsExactly("rt-1");
        assertThat(tokens()).isEqualTo(new VaultTokens("at-2", "rt-2"));
        assertThat(entry().generation()).isEqualTo(2);
        assertThat(entry().leaseOwner()).isNull();
    }

    @Test
    void accessTokenWhenRefreshAnswerHasNoRefreshTokenThenOldOneKept() {
        grant("at-1", "rt-1", Duration.ofSeconds(30));
        answer(rotated("at-2", null));
        call(node());
        assertThat(tokens()).isEqualTo(new VaultTokens("at-2", "rt-1"));
    }

    @Test
    void accessTokenWhenInvalidGrantThenReconsentPersistedWithReasonAndNoRetry() {
        grant("at-1", "rt-1", Duration.ofSeconds(30));
        answer(new TokenError("invalid_grant", "revoked", 400));
        UserTokenVault.Miss miss = (UserTokenVault.Miss) call(node());
        assertThat(miss.reconsentReason()).isEqualTo("invalid_grant");
        assertThat(miss.message()).contains("'idp' refused the stored refresh token (invalid_grant)")
                .contains("consent again").doesNotContain("rt-1");
        assertThat(entry().needsReauth()).isEqualTo("invalid_grant");
        assertThat(call(node())).isEqualTo(miss);
        assertThat(sent).containsExactly("rt-1");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void accessTokenWhenIdpAnswersUnusableResponseThenTransientNotReconsent() {
        grant("at-1", "rt-1", Duration.ofSeconds(30));
        for (int i = 0; i < 3; i++) {
            answer(new TokenError(TokenError.INVALID_RESPONSE, "html page", 200));
        }
        assertThat(call(node())).isEqualTo(new UserTokenVault.Hit("at-1"));
        assertThat(entry().needsReauth()).isNull();
        assertThat(entry().lastFailure()).isEqualTo("answered invalid_response");
    }

    @Test
    void accessTokenWhenIdpFailsWith503ThenBoundedJitteredRetriesAndSharedCooldownAcrossNodes() {
        grant("at-1", "rt-1", Duration.ofSeconds(30));
        for (int i = 0; i < 3; i++) {
            fail(503, null, false);
        }
        assertThat(call(node())).isEqualTo(new UserTokenVault.Hit("at-1"));
        assertThat(sent).containsExactly("rt-1", "rt-1", "rt-1");
        assertThat(sleeps).hasSize(2);
        assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(sleeps.get(1)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
        VaultEntry cooling = entry();
        assertThat(cooling.needsReauth()).isNull();
        assertThat(cooling.leaseOwner()).isNull();
        assertThat(cooling.lastFailure()).isEqualTo("HTTP 503");
        assertThat(cooling.retryNotBefore()).isEqualTo(clock.instant().plus(Duration.ofSeconds(10)));
        assertThat(tokens()).isEqualTo(new VaultTokens("at-1", "rt-1"));

        assertThat(call(node())).isEqualTo(new UserTokenVault.Hit("at-1"));
        assertThat(sent).hasSize(3);
        clock.advance(Duration.ofSeconds(10));
        answer(rotated("at-2", "rt-2"));
        assertThat(call(node())).isEqualTo(new UserTokenVault.Hit("at-2"));
        assertThat(entry().retryNotBefore()).isNull();
        assertThat(entry().lastFailure()).isNull();
    }

    @Test
    void accessTokenWhenExpiredAndIdpDownThenRetryableErrorSayingWhenAndNoToken() {
        grant("at-1", "rt-1", Duration.ofSeconds(-5));
        for (int i = 0; i < 3; i++) {
            fail(502, null, false);
        }
        Instant retryAt = clock.instant();
        assertThatThrownBy(() -> call(node())).isInstanceOf(ServiceException.class)
                .hasMessageContaining("identity provider of 'idp' failed while refreshing the token (HTTP 502)")
                .hasMessageContaining("the grant is kept: retry after")
                .satisfies(thrown -> assertThat(thrown.getMessage()).doesNotContain("rt-1", "at-1"));
        assertThat(entry().retryNotBefore()).isAfter(retryAt);
        assertThatThrownBy(() -> call(node())).hasMessageContaining("retry after " + entry().retryNotBefore());
        assertThat(sent).hasSize(3);
    }

    @Test
    void accessTokenWhen429WithShortRetryAfterThenWaitsExactlyThatLong() {
        grant("at-1", "rt-1", Duration.ofSeconds(30));
        fail(429, Duration.ofSeconds(1), false);
        answer(rotated("at-2", "rt-2"));
        assertThat(call(node())).isEqualTo(new UserTokenVault.Hit("at-2"));
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void accessTokenWhen429WithLongRetryAfterThenNoCallUntilItPasses() {
        grant("at-1", "rt-1", Duration.ofSeconds(30));
        fail(429, Duration.ofSeconds(120), false);
        Instant failedAt = clock.instant();
        assertThat(call(node())).isEqualTo(new UserTokenVault.Hit("at-1"));
        assertThat(entry().retryNotBefore()).isEqualTo(failedAt.plus(Duration.ofSeconds(120)));
        clock.advance(Duration.ofSeconds(119));
        assertThatThrownBy(() -> call(node())).hasMessageContaining("HTTP 429");
        assertThat(sent).hasSize(1);
        clock.advance(Duration.ofSeconds(1));
        answer(rotated("at-2", "rt-2"));
        assertThat(call(node())).isEqualTo(new UserTokenVault.Hit("at-2"));
        assertThat(sent).hasSize(2);
    }

    @Test
    void accessTokenWhenOutcomeUnknownInsideReplayWindowThenSameRefreshTokenResentAndRecovered() {
        grant("at-1", "rt-1", Duration.ofSeconds(30));
        fail(0, null, true);
        answer(rotated("at-2", "rt-2"));
        assertThat(call(node())).isEqualTo(new UserTokenVault.Hit("at-2"));
        assertThat(sent).containsExactly("rt-1", "rt-1");
        assertThat(entry().unknownOutcomeSince()).isNull();
    }

    @Test
    void accessTokenWhenOutcomeUnknownAndNoReplayWindowThenReconsentWithoutResending() {
        grant("at-1", "rt-1", Duration.ofSeconds(30));
        fail(0, null, true);
        UserTokenVault.Miss miss = (UserTokenVault.Miss) call(node(Duration.ZERO));
        assertThat(miss.reconsentReason()).isEqualTo(ReconsentReason.REFRESH_OUTCOME_UNKNOWN);
        assertThat(miss.message()).contains("answer was lost").contains("replay window");
        assertThat(sent).containsExactly("rt-1");
        assertThat(entry().needsReauth()).isEqualTo(ReconsentReason.REFRESH_OUTCOME_UNKNOWN);
    }

    @Test
    void accessTokenWhenOutcomeUnknownThenStrictIdpRefusesReuseThenReasonIsLostAnswer() {
        grant("at-1", "rt-1", Duration.ofSeconds(30));
        fail(0, null, true);
        answer(new TokenError("invalid_grant", "reused", 400));
        UserTokenVault.Miss miss = (UserTokenVault.Miss) call(node());
        assertThat(miss.reconsentReason()).isEqualTo(ReconsentReason.REFRESH_OUTCOME_UNKNOWN);
    }

    @Test
    void accessTokenWhenUnknownOutcomeStoredAndReplayWindowPassedThenReconsentWithoutCalling() {
        grant("at-1", "rt-1", Duration.ofSeconds(30));
        for (int i = 0; i < 3; i++) {
            fail(0, null, true);
        }
        Instant firstSent = clock.instant();
        assertThat(call(node())).isEqualTo(new UserTokenVault.Hit("at-1"));
        assertThat(entry().unknownOutcomeSince()).isEqualTo(firstSent);
        clock.advance(Duration.ofSeconds(31));
        assertThat(((UserTokenVault.Miss) call(node())).reconsentReason())
                .isEqualTo(ReconsentReason.REFRESH_OUTCOME_UNKNOWN);
        assertThat(sent).hasSize(3);
    }

    @Test
    void accessTokenWhenOtherNodeHoldsLeaseThenWaitsForItAndServesItsResult() {
        grant("at-1", "rt-1", Duration.ofSeconds(30));
        String name = leaseHeldBy("other");
        UserTokenVault waiting = new UserTokenVault(entries, (provider, refreshToken, scopes) -> {
            throw new AssertionError("the waiting node must not refresh");
        }, clock, RefreshPolicy.defaults(), duration -> {
            clock.advance(duration);
            var leased = entries.find(name).orElseThrow();
            if (leased.document().leaseOwner() != null) {
                entries.commit(entries.update(leased, leased.document().refreshed(START.plusSeconds(3600), SCOPES,
                        clock.instant()), new VaultTokens("at-other", "rt-other")));
            }
        });
        assertThat(call(waiting)).isEqualTo(new UserTokenVault.Hit("at-other"));
    }

    @Test
    void accessTokenWhenLeaseHolderDiedThenTakenOverAfterLeaseAndStrictRefusalMeansLostAnswer() {
        grant("at-1", "rt-1", Duration.ofSeconds(-1));
        leaseHeldBy("dead");
        answer(new TokenError("invalid_grant", "reused", 400));
        UserTokenVault.Miss miss = (UserTokenVault.Miss) call(node());
        assertThat(clock.instant()).isAfterOrEqualTo(START.plusSeconds(30));
        assertThat(sent).containsExactly("rt-1");
        assertThat(miss.reconsentReason()).isEqualTo(ReconsentReason.REFRESH_OUTCOME_UNKNOWN);
    }

    @Test
    void accessTokenWhenLeaseHolderDiedAndIdpAcceptsOldTokenThenRecovered() {
        grant("at-1", "rt-1", Duration.ofSeconds(-1));
        leaseHeldBy("dead");
        answer(rotated("at-2", "rt-2"));
        assertThat(call(node())).isEqualTo(new UserTokenVault.Hit("at-2"));
        assertThat(entry().leaseOwner()).isNull();
    }

    @Test
    void accessTokenWhenNoRefreshTokenWasIssuedThenReconsentSaysSoWithoutCalling() {
        grant("at-1", null, Duration.ofSeconds(-1));
        UserTokenVault.Miss miss = (UserTokenVault.Miss) call(node());
        assertThat(miss.reconsentReason()).isEqualTo(ReconsentReason.NO_REFRESH_TOKEN);
        assertThat(miss.message()).contains("issued no refresh token");
        assertThat(sent).isEmpty();
    }

    @Test
    void accessTokenWhenRefresherFailsBeforeSendingThenLeaseReleasedAndFailurePassedOn() {
        grant("at-1", "rt-1", Duration.ofSeconds(30));
        answers.add(() -> {
            throw new IllegalStateException("token endpoint URL refused");
        });
        assertThatThrownBy(() -> call(node())).isInstanceOf(IllegalStateException.class);
        assertThat(entry().leaseOwner()).isNull();
        answer(rotated("at-2", "rt-2"));
        assertThat(call(node())).isEqualTo(new UserTokenVault.Hit("at-2"));
    }

    @Test
    void backoffWhenAttemptsGrowThenDoublesWithJitterAndStaysUnderMaxWait() {
        RefreshPolicy policy = RefreshPolicy.defaults();
        assertThat(policy.backoff(1, null, 0)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.backoff(1, null, 0.999)).isEqualTo(Duration.ofMillis(199));
        assertThat(policy.backoff(3, null, 0.5)).isEqualTo(Duration.ofMillis(600));
        assertThat(policy.backoff(30, null, 0.999)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoff(1, Duration.ofSeconds(7), 0.5)).isEqualTo(Duration.ofSeconds(7));
    }
}
