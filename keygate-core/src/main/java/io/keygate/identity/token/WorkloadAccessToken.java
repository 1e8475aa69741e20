package io.keygate.identity.token;

import java.time.Instant;
import java.util.Objects;

/**
 * What a workload access token (WAT) binds: the workload, the user principal (null for a token
 * without user), and a fingerprint of the artifact that proved the user (the user id or the exact
 * JWT), so that completion can recognise the identical artifact.
 *
 * @param principalKey {@link io.keygate.identity.principal.UserPrincipal#key()}, or null
 * @param artifactHash SHA-256 fingerprint of the proving artifact, or null
 */
public record WorkloadAccessToken(String workload, String principalKey, String artifactHash, Instant issuedAt,
                                  Instant expiresAt) {
    public WorkloadAccessToken {
        Objects.requireNonNull(workload, "workload must not be null");
        Objects.requireNonNull(issuedAt, "issuedAt must not be null");
        Objects.requireNonNull(expiresAt, "expiresAt must not be null");
    }
}
