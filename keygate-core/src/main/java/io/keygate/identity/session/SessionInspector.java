package io.keygate.identity.session;

import io.keygate.access.AccessKey;
import io.keygate.error.Errors;
import io.keygate.identity.principal.UserPrincipal;
import io.keygate.store.SealedDocuments.Versioned;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The session inspector ({@code GET /keygate/v1/sessions/{sessionUri}}, {@code ./keygate sessions
 * show}): what a session is, where it stands and its timeline — never a token, code, state or verifier
 * — and the sweep that removes sessions once they are no longer worth inspecting.
 */
public final class SessionInspector {
    private static final Logger LOG = LoggerFactory.getLogger(SessionInspector.class);
    private static final Duration KEEP_AFTER_END = Duration.ofHours(24);
    private final AuthSessions sessions;
    private final Clock clock;

    public SessionInspector(AuthSessions sessions, Clock clock) {
        this.sessions = Objects.requireNonNull(sessions, "sessions must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    /** A session as the inspector shows it; {@code principalId} only for user-id sessions. */
    public record View(String workload, String provider, String principalKind, String principalId, String returnUrl,
                       String status, String sessionStatus, String failure, String idpError, Instant createdTime,
                       Instant expiresTime, Instant completedTime, List<TimelineEvent> timeline) {
    }

    public View inspect(AccessKey caller, String sessionUri) {
        AuthSession session = sessions.inspect(sessionUri)
                .filter(found -> caller.mayActFor(found.workload()))
                .orElseThrow(() -> Errors.notFound("No session has this sessionUri for a workload your access key may "
                        + "act for; pass it exactly as GetResourceOauth2Token returned it"));
        UserPrincipal principal = UserPrincipal.fromKey(session.principalKey());
        boolean expired = session.isExpired(clock.instant());
        String awsStatus = session.status() == AuthSessionStatus.FAILED || expired ? "FAILED"
                : session.status() == AuthSessionStatus.COMPLETED ? "COMPLETED" : "IN_PROGRESS";
        return new View(session.workload(), session.provider(), principal.kind(),
                principal instanceof UserPrincipal.UserId userId ? userId.userId() : null, session.returnUrl(),
                expired ? "EXPIRED" : session.status().name(), awsStatus, session.failure(), session.idpError(),
                session.createdTime(), session.expiresTime(), session.completedTime(), session.timeline());
    }

    /** Deletes sessions that ended or expired more than a day ago; returns how many. */
    public int sweepExpired() {
        Instant cutoff = clock.instant().minus(KEEP_AFTER_END);
        int removed = 0;
        String after = null;
        while (true) {
            List<Versioned<AuthSession, SessionSecrets>> page = sessions.page(after, 200);
            if (page.isEmpty()) {
                break;
            }
            for (Versioned<AuthSession, SessionSecrets> session : page) {
                Instant end = session.document().completedTime() != null ? session.document().completedTime()
                        : session.document().expiresTime();
                if (end.isBefore(cutoff)) {
                    sessions.delete(session);
                    removed++;
                }
            }
            after = page.get(page.size() - 1).name();
        }
        if (removed > 0) {
            LOG.info("Removed {} auth sessions that ended before {}", removed, cutoff);
        }
        return removed;
    }
}
