package io.keygate.identity.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A 3LO consent session: who started it (workload, principal and the proving artifact's fingerprint),
 * for which provider and scopes, where the browser returns, and how far it got. Immutable; the
 * {@code with…} methods return the next state. Its secrets live apart in {@link SessionSecrets}.
 *
 * @param id           SHA-256 fingerprint of the sessionUri: the record's name
 * @param principalKey the originator, {@link io.keygate.identity.principal.UserPrincipal#key()}
 * @param artifactHash fingerprint of the exact artifact (user id or JWT) behind the originator's WAT
 * @param failure      reason code when FAILED, else null
 * @param idpError     the IdP's {@code error} code when it refused, else null
 */
public record AuthSession(String id, String workload, String provider, String principalKey, String artifactHash,
                          String returnUrl, List<String> scopes, Map<String, String> customParameters,
                          List<String> resources, List<String> audiences, AuthSessionStatus status, String failure,
                          String idpError, Instant createdTime, Instant expiresTime, Instant completedTime,
                          List<TimelineEvent> timeline) {
    /** Far beyond the token endpoint timeout: an exchange still running after this has died with its node. */
    public static final java.time.Duration EXCHANGE_PATIENCE = java.time.Duration.ofSeconds(60);

    public AuthSession {
        Objects.requireNonNull(id, "id must not be null");
        Objects.requireNonNull(status, "status must not be null");
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        customParameters = customParameters == null ? Map.of() : Map.copyOf(customParameters);
        resources = resources == null ? List.of() : List.copyOf(resources);
        audiences = audiences == null ? List.of() : List.copyOf(audiences);
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
    }

    public boolean isExpired(Instant now) {
        return !now.isBefore(expiresTime) && !status.isFinal();
    }

    /**
     * A code exchange that started more than {@link #EXCHANGE_PATIENCE} ago and never finished: the node
     * doing it died (security.md F8, F9b). The IdP has redeemed the code, so the only way on is a new consent.
     */
    public boolean isExchangeAbandoned(Instant now) {
        return status == AuthSessionStatus.EXCHANGING && !timeline.isEmpty()
                && timeline.get(timeline.size() - 1).at().plus(EXCHANGE_PATIENCE).isBefore(now);
    }

    public String principalKind() {
        return principalKey.startsWith("jwt:") ? "jwt" : "user-id";
    }

    /** The next state with one more timeline event. */
    public AuthSession with(AuthSessionStatus next, Instant at, String event, String detail) {
        List<TimelineEvent> events = new ArrayList<>(timeline);
        events.add(new TimelineEvent(at, event, detail));
        return new AuthSession(id, workload, provider, principalKey, artifactHash, returnUrl, scopes, customParameters,
                resources, audiences, next, failure, idpError, createdTime, expiresTime,
                next == AuthSessionStatus.COMPLETED ? at : completedTime, events);
    }

    /** FAILED with a reason code (and the IdP's error code when it refused). */
    public AuthSession failed(Instant at, String reason, String error, String detail) {
        AuthSession next = with(AuthSessionStatus.FAILED, at, "failed", detail);
        return new AuthSession(id, workload, provider, principalKey, artifactHash, returnUrl, scopes, customParameters,
                resources, audiences, AuthSessionStatus.FAILED, reason, error, createdTime, expiresTime, null,
                next.timeline());
    }

    /** Same state, one more timeline event (completion attempts that changed nothing else). */
    public AuthSession noted(Instant at, String event, String detail) {
        return with(status, at, event, detail);
    }
}
