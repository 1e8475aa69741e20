package io.keygate.identity.vault;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One user's grant for one workload and provider: what was granted and until when, whether it needs
 * re-consent (and why), and the refresh lease that keeps refreshes single-flight across nodes
 * (security.md TV-4). The tokens are sealed beside it in {@link VaultTokens}.
 *
 * @param needsReauth  null, or why the grant cannot be refreshed any more (e.g. {@code invalid_grant})
 * @param leaseOwner   the node refreshing this entry right now, or null
 * @param leaseUntil   when that lease lapses (a crashed node blocks others only until then)
 * @param generation   incremented by every token rotation: the compare-and-set fence of TV-5
 * @param retryNotBefore null, or until when no node may call the token endpoint for this entry: the cooldown
 *                     shared by all nodes after transient failures or a {@code Retry-After} (TV-6, F1, F4)
 * @param lastFailure  null, or what the last failed refresh met (e.g. {@code HTTP 503}), for the caller's message
 * @param unknownOutcomeSince null, or when a refresh was sent whose answer never came: the same refresh token
 *                     may be sent again only inside the replay window counted from here (TV-6, F2)
 */
public record VaultEntry(String workload, String principalKey, String provider, List<String> scopes,
                         Instant accessTokenExpiresAt, String needsReauth, String leaseOwner, Instant leaseUntil,
                         long generation, Instant createdTime, Instant refreshedTime, Instant retryNotBefore,
                         String lastFailure, Instant unknownOutcomeSince) {
    public VaultEntry {
        Objects.requireNonNull(workload, "workload must not be null");
        Objects.requireNonNull(principalKey, "principalKey must not be null");
        Objects.requireNonNull(provider, "provider must not be null");
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    /**
     * Whether the grant covers the requested scopes. OpenID Connect scopes are left out: providers
     * (Entra, oidc-provider) omit them from an access token's scope, and they grant no API access.
     */
    public boolean covers(List<String> requested) {
        return requested.stream().filter(scope -> !OIDC_SCOPES.contains(scope)).allMatch(scopes::contains);
    }

    private static final java.util.Set<String> OIDC_SCOPES = java.util.Set.of("openid", "offline_access", "profile",
            "email", "address", "phone");

    public boolean isFresh(Instant now, java.time.Duration margin) {
        return accessTokenExpiresAt == null || now.plus(margin).isBefore(accessTokenExpiresAt);
    }

    public boolean leasedByOtherAt(Instant now, String node) {
        return leaseOwner != null && !leaseOwner.equals(node) && leaseUntil != null && now.isBefore(leaseUntil);
    }

    /** A new grant after consent: generation 1, or one more than the grant it replaces. */
    public static VaultEntry granted(String workload, String principalKey, String provider, List<String> scopes,
                                     Instant expiresAt, long generation, Instant createdTime, Instant now) {
        return new VaultEntry(workload, principalKey, provider, scopes, expiresAt, null, null, null, generation,
                createdTime, now, null, null, null);
    }

    public boolean coolingDownAt(Instant now) {
        return retryNotBefore != null && now.isBefore(retryNotBefore);
    }

    public VaultEntry withLease(String owner, Instant until) {
        return new VaultEntry(workload, principalKey, provider, scopes, accessTokenExpiresAt, needsReauth, owner, until,
                generation, createdTime, refreshedTime, retryNotBefore, lastFailure, unknownOutcomeSince);
    }

    /** Rotated tokens stored: the next generation, with no lease, cooldown or unknown outcome left. */
    public VaultEntry refreshed(Instant expiresAt, List<String> grantedScopes, Instant now) {
        return granted(workload, principalKey, provider, grantedScopes, expiresAt, generation + 1, createdTime, now);
    }

    /** The lease released after transient failures: nobody refreshes before {@code until}. */
    public VaultEntry coolingDown(Instant until, String failure, Instant unknownSince) {
        return new VaultEntry(workload, principalKey, provider, scopes, accessTokenExpiresAt, needsReauth, null, null,
                generation, createdTime, refreshedTime, until, failure, unknownSince);
    }

    public VaultEntry needingReauth(String reason) {
        return new VaultEntry(workload, principalKey, provider, scopes, accessTokenExpiresAt, reason, null, null,
                generation, createdTime, refreshedTime, null, lastFailure, unknownOutcomeSince);
    }
}
