package io.keygate.gateway.runtime;

import io.keygate.gateway.mcp.McpSession;
import io.keygate.identity.session.AuthSessionStatus;
import io.keygate.identity.session.AuthSessions;
import io.keygate.store.ResourceRepository;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Remembers which URL elicitations an MCP session is waiting for, in the database (the stream that
 * reports completion may be on another node than the tool call that asked), and tells which ones
 * completed: the consent session behind an elicitation id (its fingerprint) reached COMPLETED.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/client/elicitation#completion-notifications-for-url-mode-elicitation">Completion notifications</a>
 */
public final class ElicitationWatch {
    public static final String KIND = "mcp-elicitation";
    private static final Duration FORGET_AFTER = Duration.ofMinutes(30);
    private final ResourceRepository<Pending> pending;
    private final AuthSessions authSessions;
    private final Clock clock;

    /** One elicitation an MCP session waits for. */
    public record Pending(String mcpSessionId, String elicitationId, Instant createdAt) {
    }

    public ElicitationWatch(ResourceRepository<Pending> pending, AuthSessions authSessions, Clock clock) {
        this.pending = Objects.requireNonNull(pending, "pending must not be null");
        this.authSessions = Objects.requireNonNull(authSessions, "authSessions must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    public void watch(McpSession session, String elicitationId) {
        String name = session.sessionId() + "/" + elicitationId;
        if (pending.find(name).isEmpty()) {
            try {
                pending.create(name, new Pending(session.sessionId(), elicitationId, clock.instant()), null);
            } catch (io.keygate.error.ServiceException createdMeanwhile) {
                // the same elicitation was recorded by a concurrent call: one record is enough
            }
        }
    }

    /** The elicitations of this session whose consent completed since the last call; each is reported once. */
    public List<String> completed(McpSession session) {
        List<String> done = new ArrayList<>();
        String token = null;
        do {
            var page = pending.listWithPrefix(session.sessionId() + "/", token, 100);
            for (Pending waiting : page.items()) {
                Optional<AuthSessionStatus> status = authSessions.statusOf(waiting.elicitationId());
                boolean stale = waiting.createdAt().plus(FORGET_AFTER).isBefore(clock.instant());
                if (status.filter(AuthSessionStatus.COMPLETED::equals).isPresent()) {
                    done.add(waiting.elicitationId());
                }
                if (stale || status.isEmpty() || status.get().isFinal()) {
                    pending.delete(session.sessionId() + "/" + waiting.elicitationId());
                }
            }
            token = page.nextToken();
        } while (token != null);
        return done;
    }
}
