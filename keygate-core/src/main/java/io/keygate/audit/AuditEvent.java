package io.keygate.audit;

import java.time.Instant;

/**
 * One security event (security.md LG-2): what happened, to which workload, provider and kind of user,
 * and the reason code. Never a token, code, state, secret or user id.
 *
 * @param event e.g. {@code token-handed-out}, {@code auth-session-started}, {@code completion-attempt}
 */
public record AuditEvent(Instant at, String event, String workload, String provider, String principalKind,
                         String outcome) {
}
