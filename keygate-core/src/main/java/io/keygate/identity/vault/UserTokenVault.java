package io.keygate.identity.vault;

import io.keygate.error.Errors;
import io.keygate.identity.principal.Hashes;
import io.keygate.oauth.TokenResponse;
import io.keygate.oauth.TokenError;
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
import java.util.concurrent.locks.ReentrantLock;

/**
 * The user token vault: one sealed entry per (workload, user principal, provider), keyed by a
 * fingerprint and sealed with that identity as associated data (TV-1, TV-8). Hands out access tokens,
 * refreshing them first when they are near expiry, single-flight: a lock per entry inside the node and
 * a lease with compare-and-set in the store across nodes (TV-4); rotated tokens are written in one
 * write (TV-5); {@code invalid_grant} marks the entry as needing re-consent while transient failures
 * keep it (TV-6).
 */
public final class UserTokenVault {
    public static final String KIND = "vault-entry";
    private static final Logger LOG = LoggerFactory.getLogger(UserTokenVault.class);
    private static final Duration REFRESH_MARGIN = Duration.ofSeconds(60);
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final int REFRESH_ATTEMPTS = 3;

    private final SealedDocuments<VaultEntry, VaultTokens> entries;
    private final Refresher refresher;
    private final Clock clock;
    private final String node = Hashes.random(9);
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    /** Calls the provider's token endpoint with a refresh token (RFC 6749 §6). */
    @FunctionalInterface
    public interface Refresher {
        TokenResponse refresh(String provider, String refreshToken, List<String> scopes);
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

    /** No usable token; {@code reason} is {@code NO_GRANT}, {@code SCOPES_NOT_COVERED} or {@code NEEDS_REAUTH:<why>}. */
    public record Miss(String reason) implements Lookup {
    }

    public UserTokenVault(SealedDocuments<VaultEntry, VaultTokens> entries, Refresher refresher, Clock clock) {
        this.entries = Objects.requireNonNull(entries, "entries must not be null");
        this.refresher = Objects.requireNonNull(refresher, "refresher must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
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
            return new Miss("NO_GRANT");
        }
        VaultEntry entry = found.get().document();
        if (entry.needsReauth() != null) {
            return new Miss("NEEDS_REAUTH:" + entry.needsReauth());
        }
        if (!entry.covers(scopes)) {
            return new Miss("SCOPES_NOT_COVERED");
        }
        if (entry.isFresh(clock.instant(), REFRESH_MARGIN)) {
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
        Instant deadline = clock.instant().plus(LEASE).plusSeconds(5);
        while (clock.instant().isBefore(deadline)) {
            Versioned<VaultEntry, VaultTokens> current = entries.find(name).orElse(null);
            if (current == null) {
                return new Miss("NO_GRANT");
            }
            VaultEntry entry = current.document();
            Instant now = clock.instant();
            if (entry.needsReauth() != null) {
                return new Miss("NEEDS_REAUTH:" + entry.needsReauth());
            }
            if (entry.isFresh(now, REFRESH_MARGIN)) {
                return new Hit(current.secrets().accessToken());
            }
            if (entry.leasedByOtherAt(now, node)) {
                sleep(100);
                continue;
            }
            if (entries.commit(entries.update(current, entry.withLease(node, now.plus(LEASE)), current.secrets()))) {
                return refreshUnderLease(name, scopes);
            }
        }
        throw Errors.dependencyFailed("Another Keygate node is refreshing this token and has not finished; retry shortly",
                "refresh lease wait timed out", null);
    }

    private Lookup refreshUnderLease(String name, List<String> scopes) {
        Versioned<VaultEntry, VaultTokens> leased = entries.find(name).orElseThrow();
        VaultEntry entry = leased.document();
        TransientTokenException lastFailure = null;
        for (int attempt = 1; attempt <= REFRESH_ATTEMPTS; attempt++) {
            try {
                TokenResponse response = leased.secrets().refreshToken() == null
                        ? new TokenError("invalid_grant", "no refresh token was issued", 0)
                        : refresher.refresh(entry.provider(), leased.secrets().refreshToken(), scopes);
                return record(leased, response);
            } catch (TransientTokenException transientFailure) {
                lastFailure = transientFailure;
                LOG.warn("Refresh for provider {} failed transiently (attempt {} of {}): HTTP {}", entry.provider(),
                        attempt, REFRESH_ATTEMPTS, transientFailure.httpStatus());
                sleep(backoffMillis(attempt, transientFailure.retryAfter()));
            }
        }
        entries.commit(entries.update(leased, entry.withLease(null, null), leased.secrets()));
        if (!entry.isFresh(clock.instant(), Duration.ZERO)) {
            throw Errors.dependencyFailed("The identity provider of '" + entry.provider() + "' failed while refreshing "
                    + "the token (" + describe(lastFailure) + "); the grant is kept: retry shortly",
                    "refresh failed " + REFRESH_ATTEMPTS + " times", lastFailure);
        }
        return new Hit(leased.secrets().accessToken());
    }

    private Lookup record(Versioned<VaultEntry, VaultTokens> leased, TokenResponse response) {
        VaultEntry entry = leased.document();
        if (response instanceof TokenSuccess success) {
            String refreshToken = success.refreshToken() != null ? success.refreshToken() : leased.secrets().refreshToken();
            List<String> granted = success.scope() != null ? Arrays.asList(success.scope().split(" ")) : entry.scopes();
            VaultEntry refreshed = entry.refreshed(success.expiresAt(), granted, clock.instant());
            if (!entries.commit(entries.update(leased, refreshed, new VaultTokens(success.accessToken(), refreshToken)))) {
                throw Errors.internal("vault entry changed while this node held its refresh lease", null);
            }
            LOG.info("Refreshed the token of provider {} for workload {} (generation {})", entry.provider(),
                    entry.workload(), refreshed.generation());
            return new Hit(success.accessToken());
        }
        TokenError error = (TokenError) response;
        LOG.warn("Refresh for provider {} was refused with {}: the grant needs new consent", entry.provider(), error.error());
        entries.commit(entries.update(leased, entry.needingReauth(error.error()), leased.secrets()));
        return new Miss("NEEDS_REAUTH:" + error.error());
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
            return entries.insert(name, new VaultEntry(workload, principalKey, provider, scopes, expiresAt, null, null,
                    null, 1, now, now), tokens);
        }
        VaultEntry previous = existing.get().document();
        return entries.update(existing.get(), new VaultEntry(workload, principalKey, provider, scopes, expiresAt, null,
                null, null, previous.generation() + 1, previous.createdTime(), now), tokens);
    }

    private static long backoffMillis(int attempt, Duration retryAfter) {
        long base = 200L << (attempt - 1);
        long jitter = java.util.concurrent.ThreadLocalRandom.current().nextLong(base);
        long wanted = retryAfter == null ? base + jitter : Math.min(retryAfter.toMillis(), 2_000);
        return Math.min(wanted, 2_000);
    }

    private static String describe(TransientTokenException failure) {
        return failure == null ? "no answer" : failure.httpStatus() == 0 ? "no answer" : "HTTP " + failure.httpStatus();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Errors.internal("interrupted while waiting for a token refresh", e);
        }
    }
}
