package io.keygate.identity.vault;

import io.keygate.error.Errors;
import io.keygate.error.ServiceException;
import io.keygate.identity.principal.Hashes;
import io.keygate.oauth.TokenError;
import io.keygate.oauth.TokenResponse;
import io.keygate.oauth.TokenSuccess;
import io.keygate.oauth.TransientTokenException;
import io.keygate.store.ResourceWrite;
import io.keygate.store.SealedDocuments;
import io.keygate.store.SealedDocuments.Versioned;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The user token vault: one sealed entry per (workload, user principal, provider), keyed by a
 * fingerprint and sealed with that identity as associated data (TV-1, TV-8). Hands out access tokens,
 * refreshing them first when they are near expiry, single-flight: a lock per entry inside the node and
 * a lease with compare-and-set in the store across nodes (TV-4); rotated tokens are written in one
 * write (TV-5). Refresh failures are classified as security.md TV-6 asks: a terminal OAuth error marks
 * the entry as needing re-consent and says why ({@link ReconsentReason}); 5xx, 429 and network failures
 * keep the refresh token, are retried a bounded number of times with jittered backoff (or after the
 * server's {@code Retry-After}) and then leave a cooldown in the entry that every node honours; a call
 * whose outcome is unknown is retried with the same refresh token only inside the configured replay window.
 */
public final class UserTokenVault {
    public static final String KIND = "vault-entry";
    private static final Logger LOG = LoggerFactory.getLogger(UserTokenVault.class);
    private static final Duration LEASE_POLL = Duration.ofMillis(100);
    private static final Duration WAIT_SLACK = Duration.ofSeconds(5);

    private final SealedDocuments<VaultEntry, VaultTokens> entries;
    private final Refresher refresher;
    private final Clock clock;
    private final RefreshPolicy policy;
    private final Sleeper sleeper;
    private final String node = Hashes.random(9);
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    /** Calls the provider's token endpoint with a refresh token (RFC 6749 §6). */
    @FunctionalInterface
    public interface Refresher {
        TokenResponse refresh(String provider, String refreshToken, List<String> scopes);
    }

    /** Waits between attempts and while another node holds the lease; tests move a clock instead. */
    @FunctionalInterface
    public interface Sleeper {
        Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

        void sleep(Duration duration) throws InterruptedException;
    }

    /** The outcome of a lookup: a usable access token, or why there is none. */
    public sealed interface Lookup permits Hit, Miss {
    }

    /** A usable access token. */
    public record Hit(String accessToken) implements Lookup {
        @Override
        public String toString() {
            return "Hit[redacted]";
        }
    }

    /**
     * No usable token. {@code reason} is {@code NO_GRANT}, {@code SCOPES_NOT_COVERED} or
     * {@code NEEDS_REAUTH:<why>} with a {@link ReconsentReason} code; {@code message} says it in words.
     */
    public record Miss(String reason, String message) implements Lookup {
        static Miss reconsent(String why, String provider) {
            return new Miss("NEEDS_REAUTH:" + why, ReconsentReason.describe(why, provider));
        }

        /** The {@link ReconsentReason} code when the user has to consent again, else null. */
        public String reconsentReason() {
            return reason.startsWith("NEEDS_REAUTH:") ? reason.substring("NEEDS_REAUTH:".length()) : null;
        }
    }

    private static final Miss NO_GRANT = new Miss("NO_GRANT", "no grant is stored for this user and provider");

    public UserTokenVault(SealedDocuments<VaultEntry, VaultTokens> entries, Refresher refresher, Clock clock) {
        this(entries, refresher, clock, RefreshPolicy.defaults(), Sleeper.SYSTEM);
    }

    public UserTokenVault(SealedDocuments<VaultEntry, VaultTokens> entries, Refresher refresher, Clock clock,
                          RefreshPolicy policy, Sleeper sleeper) {
        this.entries = Objects.requireNonNull(entries, "entries must not be null");
        this.refresher = Objects.requireNonNull(refresher, "refresher must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.policy = Objects.requireNonNull(policy, "policy must not be null");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper must not be null");
    }

    static String nameOf(String workload, String principalKey, String provider) {
        return Hashes.sha256(workload + "\n" + principalKey + "\n" + provider);
    }

    public Optional<VaultEntry> inspect(String workload, String principalKey, String provider) {
        return entries.findDocument(nameOf(workload, principalKey, provider));
    }

    /** The access token for this user, refreshed first when near expiry. */
    public Lookup accessToken(String workload, String principalKey, String provider, List<String> scopes) {
        String name = nameOf(workload, principalKey, provider);
        Optional<Versioned<VaultEntry, VaultTokens>> found = entries.find(name);
        if (found.isEmpty()) {
            return NO_GRANT;
        }
        VaultEntry entry = found.get().document();
        if (entry.needsReauth() != null) {
            return Miss.reconsent(entry.needsReauth(), provider);
        }
        if (!entry.covers(scopes)) {
            return new Miss("SCOPES_NOT_COVERED", "the stored grant does not cover the scopes asked for");
        }
        if (entry.isFresh(clock.instant(), policy.refreshMargin())) {
            return new Hit(found.get().secrets().accessToken());
        }
        ReentrantLock lock = locks.computeIfAbsent(name, key -> new ReentrantLock());
        lock.lock();
        try {
            return refreshSingleFlight(name, scopes);
        } finally {
            lock.unlock();
        }
    }

    private Lookup refreshSingleFlight(String name, List<String> scopes) {
        Instant deadline = clock.instant().plus(policy.lease()).plus(WAIT_SLACK);
        while (clock.instant().isBefore(deadline)) {
            Versioned<VaultEntry, VaultTokens> current = entries.find(name).orElse(null);
            if (current == null) {
                return NO_GRANT;
            }
            VaultEntry entry = current.document();
            Instant now = clock.instant();
            if (entry.needsReauth() != null) {
                return Miss.reconsent(entry.needsReauth(), entry.provider());
            }
            if (entry.isFresh(now, policy.refreshMargin())) {
                return new Hit(current.secrets().accessToken());
            }
            if (entry.leasedByOtherAt(now, node)) {
                pause(LEASE_POLL);
                continue;
            }
            if (entry.coolingDownAt(now)) {
                return servedDuringCooldown(current, now);
            }
            // A lease left behind (lapsed, or this node's own after a failure) means an earlier refresh may
            // have reached the IdP and rotated the token: the IdP's answer to the old one then decides.
            boolean earlierUnfinished = entry.leaseOwner() != null;
            if (entries.commit(entries.update(current, entry.withLease(node, now.plus(policy.lease())),
                    current.secrets()))) {
                return refreshUnderLease(entries.find(name).orElseThrow(), scopes, earlierUnfinished);
            }
        }
        throw Errors.dependencyFailed("Another Keygate node is refreshing this token and has not finished; retry shortly",
                "refresh lease wait timed out", null);
    }

    private Lookup servedDuringCooldown(Versioned<VaultEntry, VaultTokens> current, Instant now) {
        VaultEntry entry = current.document();
        if (entry.isFresh(now, Duration.ZERO)) {
            return new Hit(current.secrets().accessToken());
        }
        throw unavailable(entry.provider(), entry.lastFailure(), entry.retryNotBefore());
    }

    /** What a failed attempt met, for the caller's message, and how long the server asked to wait. */
    private record Failure(String what, Duration retryAfter) {
    }

    private Lookup refreshUnderLease(Versioned<VaultEntry, VaultTokens> leased, List<String> scopes,
                                     boolean earlierUnfinished) {
        Instant unknownSince = leased.document().unknownOutcomeSince();
        for (int attempt = 1; ; attempt++) {
            Instant sentAt = clock.instant();
            if (unknownSince != null && sentAt.isAfter(unknownSince.plus(policy.replayGrace()))) {
                return markForReconsent(leased, ReconsentReason.REFRESH_OUTCOME_UNKNOWN);
            }
            if (leased.secrets().refreshToken() == null) {
                return markForReconsent(leased, ReconsentReason.NO_REFRESH_TOKEN);
            }
            Failure failure;
            try {
                TokenResponse response = callRefresher(leased, scopes);
                if (response instanceof TokenSuccess success) {
                    return persistRotated(leased, success);
                }
                TokenError error = (TokenError) response;
                if (error.isTerminal()) {
                    boolean rotatedElsewhere = earlierUnfinished || unknownSince != null;
                    return markForReconsent(leased, rotatedElsewhere ? ReconsentReason.REFRESH_OUTCOME_UNKNOWN : error.error());
                }
                failure = new Failure("answered " + error.error(), null);
            } catch (TransientTokenException transientFailure) {
                if (transientFailure.outcomeUnknown() && unknownSince == null) {
                    unknownSince = sentAt;
                }
                failure = new Failure(describe(transientFailure), transientFailure.retryAfter());
            }
            Duration wait = policy.backoff(attempt, failure.retryAfter(), ThreadLocalRandom.current().nextDouble());
            LOG.warn("Refresh for provider {} failed transiently (attempt {} of {}): {}", leased.document().provider(),
                    attempt, policy.attempts(), failure.what());
            if (attempt >= policy.attempts() || wait.compareTo(policy.maxWait()) > 0) {
                return coolDown(leased, failure, unknownSince);
            }
            pause(wait);
            leased = renewLease(leased);
        }
    }

    /** Any failure other than a transient one happens before sending (bad URL, provider gone): free the lease. */
    private TokenResponse callRefresher(Versioned<VaultEntry, VaultTokens> leased, List<String> scopes) {
        try {
            return refresher.refresh(leased.document().provider(), leased.secrets().refreshToken(), scopes);
        } catch (TransientTokenException transientFailure) {
            throw transientFailure;
        } catch (RuntimeException beforeSending) {
            entries.commit(entries.update(leased, leased.document().withLease(null, null), leased.secrets()));
            throw beforeSending;
        }
    }

    private Versioned<VaultEntry, VaultTokens> renewLease(Versioned<VaultEntry, VaultTokens> leased) {
        VaultEntry renewed = leased.document().withLease(node, clock.instant().plus(policy.lease()));
        if (!entries.commit(entries.update(leased, renewed, leased.secrets()))) {
            throw Errors.dependencyFailed("Another Keygate node took over refreshing this token; retry shortly",
                    "refresh lease lost between attempts", null);
        }
        return entries.find(leased.name()).orElseThrow();
    }

    /** Releases the lease with a cooldown every node honours; the old access token is served while it lasts. */
    private Lookup coolDown(Versioned<VaultEntry, VaultTokens> leased, Failure failure, Instant unknownSince) {
        VaultEntry entry = leased.document();
        Instant now = clock.instant();
        Duration cooldown = failure.retryAfter() != null && failure.retryAfter().compareTo(policy.cooldown()) > 0
                ? failure.retryAfter() : policy.cooldown();
        Instant until = now.plus(cooldown);
        if (!entries.commit(entries.update(leased, entry.coolingDown(until, failure.what(), unknownSince),
                leased.secrets()))) {
            LOG.warn("Refresh cooldown for provider {} not stored: the entry changed meanwhile", entry.provider());
        }
        if (entry.isFresh(now, Duration.ZERO)) {
            return new Hit(leased.secrets().accessToken());
        }
        throw unavailable(entry.provider(), failure.what(), until);
    }

    /**
     * Stores the rotated pair in one compare-and-set write (TV-5). The store may fail after the IdP rotated:
     * the write is retried, and a retry that loses the compare-and-set checks whether an earlier try landed.
     */
    private Lookup persistRotated(Versioned<VaultEntry, VaultTokens> leased, TokenSuccess success) {
        VaultEntry entry = leased.document();
        String refreshToken = success.refreshToken() != null ? success.refreshToken() : leased.secrets().refreshToken();
        List<String> granted = success.scope() != null ? Arrays.asList(success.scope().split(" ")) : entry.scopes();
        VaultEntry refreshed = entry.refreshed(success.expiresAt(), granted, clock.instant());
        ResourceWrite write = entries.update(leased, refreshed, new VaultTokens(success.accessToken(), refreshToken));
        RuntimeException storeFailure = null;
        for (int attempt = 1; attempt <= policy.attempts(); attempt++) {
            try {
                if (entries.commit(write) || landed(leased.name(), success.accessToken())) {
                    LOG.info("Refreshed the token of provider {} for workload {} (generation {})", entry.provider(),
                            entry.workload(), refreshed.generation());
                } else {
                    LOG.warn("Refreshed token of provider {} not stored: another node took over the lapsed lease",
                            entry.provider());
                }
                return new Hit(success.accessToken());
            } catch (RuntimeException failure) {
                storeFailure = failure;
                pause(policy.backoff(attempt, null, ThreadLocalRandom.current().nextDouble()));
            }
        }
        throw Errors.dependencyFailed("The refreshed token of '" + entry.provider() + "' could not be stored; retry "
                + "shortly", "store failed after the IdP rotated the token", storeFailure);
    }

    private boolean landed(String name, String accessToken) {
        return entries.find(name).map(current -> accessToken.equals(current.secrets().accessToken())).orElse(false);
    }

    private Lookup markForReconsent(Versioned<VaultEntry, VaultTokens> leased, String reason) {
        VaultEntry entry = leased.document();
        LOG.warn("Refresh for provider {} ended with {}: the grant needs new consent", entry.provider(), reason);
        if (!entries.commit(entries.update(leased, entry.needingReauth(reason), leased.secrets()))) {
            LOG.warn("Re-consent mark for provider {} not stored: the entry changed meanwhile", entry.provider());
        }
        return Miss.reconsent(reason, entry.provider());
    }

    /**
     * The write that stores a user's tokens after consent, replacing any earlier grant; to be
     * committed together with the session that became COMPLETED.
     */
    public ResourceWrite storeWrite(String workload, String principalKey, String provider, List<String> scopes,
                                    String accessToken, String refreshToken, Instant expiresAt) {
        String name = nameOf(workload, principalKey, provider);
        Instant now = clock.instant();
        Optional<Versioned<VaultEntry, VaultTokens>> existing = entries.find(name);
        VaultTokens tokens = new VaultTokens(accessToken, refreshToken);
        if (existing.isEmpty()) {
            return entries.insert(name, VaultEntry.granted(workload, principalKey, provider, scopes, expiresAt, 1, now,
                    now), tokens);
        }
        VaultEntry previous = existing.get().document();
        return entries.update(existing.get(), VaultEntry.granted(workload, principalKey, provider, scopes, expiresAt,
                previous.generation() + 1, previous.createdTime(), now), tokens);
    }

    private static ServiceException unavailable(String provider, String failure, Instant retryAt) {
        return Errors.dependencyFailed("The identity provider of '" + provider + "' failed while refreshing the token ("
                + (failure == null ? "no answer" : failure) + "); the grant is kept: retry after " + retryAt,
                "refresh cooling down after transient failures", null);
    }

    private static String describe(TransientTokenException failure) {
        String status = failure.httpStatus() == 0 ? "no answer" : "HTTP " + failure.httpStatus();
        return failure.outcomeUnknown() ? status + ", outcome unknown" : status;
    }

    private void pause(Duration duration) {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Errors.internal("interrupted while waiting for a token refresh", e);
        }
    }
}
