package io.keygate.identity.vault;

import java.time.Duration;
import java.util.Objects;

/**
 * How the vault refreshes: how early, how long a node may hold the cluster-wide refresh lease, how it
 * retries a token endpoint that failed transiently, and how long an unknown outcome may be retried with
 * the same refresh token (security.md TV-4, TV-6, TV-7).
 *
 * @param refreshMargin  an access token this close to expiry is refreshed first (TV-7: leeway + IdP latency + skew)
 * @param lease          how long a node may hold the refresh lease; a node that dies holding it blocks the
 *                       others until then. Longer than a token request can take (the OAuth client's bound)
 * @param attempts       token endpoint calls per refresh before giving up for a cooldown
 * @param baseBackoff    the wait before the second attempt; doubled each attempt and jittered
 * @param maxWait        the longest a refresh sleeps between attempts while callers wait; a longer
 *                       {@code Retry-After} ends the attempts and becomes the cooldown instead
 * @param cooldown       after the attempts failed: no node calls the token endpoint for this entry for this long
 *                       (stored in the entry, so every node sees it)
 * @param replayGrace    after a call whose outcome is unknown (sent, no answer), how long the same refresh
 *                       token may still be sent: the provider's replay/grace window; after it the entry needs
 *                       re-consent ({@value ReconsentReason#REFRESH_OUTCOME_UNKNOWN})
 */
public record RefreshPolicy(Duration refreshMargin, Duration lease, int attempts, Duration baseBackoff,
                            Duration maxWait, Duration cooldown, Duration replayGrace) {
    public static final Duration DEFAULT_REPLAY_GRACE = Duration.ofSeconds(30);

    public RefreshPolicy {
        Objects.requireNonNull(refreshMargin, "refreshMargin must not be null");
        Objects.requireNonNull(lease, "lease must not be null");
        Objects.requireNonNull(baseBackoff, "baseBackoff must not be null");
        Objects.requireNonNull(maxWait, "maxWait must not be null");
        Objects.requireNonNull(cooldown, "cooldown must not be null");
        Objects.requireNonNull(replayGrace, "replayGrace must not be null");
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, got " + attempts);
        }
    }

    /** Refresh a minute early, 30 s lease, 3 attempts 200 ms apart and doubling, 10 s cooldown. */
    public static RefreshPolicy defaults() {
        return new RefreshPolicy(Duration.ofSeconds(60), Duration.ofSeconds(30), 3, Duration.ofMillis(200),
                Duration.ofSeconds(2), Duration.ofSeconds(10), DEFAULT_REPLAY_GRACE);
    }

    public RefreshPolicy withReplayGrace(Duration grace) {
        return new RefreshPolicy(refreshMargin, lease, attempts, baseBackoff, maxWait, cooldown, grace);
    }

    /**
     * The wait before attempt {@code attempt + 1}: the server's {@code Retry-After} when it gave one, else
     * {@code baseBackoff × 2^(attempt-1)} with "equal jitter" (a random half of it added to the other half),
     * so nodes that failed together do not retry in step.
     *
     * @param unit a random number in [0, 1)
     */
    Duration backoff(int attempt, Duration retryAfter, double unit) {
        if (retryAfter != null) {
            return retryAfter;
        }
        long full = baseBackoff.toMillis() << Math.min(attempt - 1, 16);
        long half = full / 2;
        return Duration.ofMillis(Math.min(half + (long) (unit * (full - half)), maxWait.toMillis()));
    }
}
