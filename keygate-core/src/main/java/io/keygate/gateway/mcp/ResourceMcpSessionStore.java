package io.keygate.gateway.mcp;

import io.keygate.json.Json;
import io.keygate.store.ResourceRecord;
import io.keygate.store.ResourceStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link McpSessionStore} over the shared {@link ResourceStore}: kind {@value #KIND}, name = session id,
 * document = the {@link McpSession} as JSON. Sessions idle longer than the timeout are not found (and
 * removed when met). Activity is written at most once per {@code touchInterval} so that a busy session
 * does not turn every MCP request into a store write.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#session-management">MCP session management</a>
 */
public final class ResourceMcpSessionStore implements McpSessionStore {
    public static final String KIND = "mcp-session";
    /** AgentCore's default gateway session timeout. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);
    private static final Duration MAX_TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final int CREATE_ATTEMPTS = 3;

    private final ResourceStore store;
    private final Clock clock;
    private final Duration idleTimeout;
    private final Duration touchInterval;

    public ResourceMcpSessionStore(ResourceStore store, Clock clock) {
        this(store, clock, DEFAULT_IDLE_TIMEOUT);
    }

    public ResourceMcpSessionStore(ResourceStore store, Clock clock, Duration idleTimeout) {
        this.store = Objects.requireNonNull(store, "store must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.idleTimeout = Objects.requireNonNull(idleTimeout, "idleTimeout must not be null");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive");
        }
        Duration quarter = idleTimeout.dividedBy(4);
        this.touchInterval = quarter.compareTo(MAX_TOUCH_INTERVAL) < 0 ? quarter : MAX_TOUCH_INTERVAL;
    }

    @Override
    public McpSession create(String gatewayId, String principal, String protocolVersion,
                             boolean clientSupportsUrlElicitation) {
        Instant now = clock.instant();
        for (int attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
            McpSession session = new McpSession(McpSessionIds.generate(), gatewayId, principal, protocolVersion,
                    clientSupportsUrlElicitation, now, now);
            if (store.insert(new ResourceRecord(KIND, session.sessionId(), Json.write(session), null, null, 1, now, now))) {
                return session;
            }
        }
        throw new IllegalStateException("could not allocate a unique MCP session id");
    }

    @Override
    public Optional<McpSession> find(String sessionId, String gatewayId, String principal) {
        if (!McpSessionIds.isWellFormed(sessionId)) {
            return Optional.empty();
        }
        Optional<ResourceRecord> record = store.find(KIND, sessionId);
        if (record.isEmpty()) {
            return Optional.empty();
        }
        McpSession session = Json.read(record.get().document(), McpSession.class);
        if (!session.belongsTo(gatewayId, principal)) {
            return Optional.empty();
        }
        if (isExpired(session)) {
            store.delete(KIND, sessionId);
            return Optional.empty();
        }
        return Optional.of(session);
    }

    @Override
    public McpSession touch(McpSession session) {
        Instant now = clock.instant();
        if (session.lastSeenAt().plus(touchInterval).isAfter(now)) {
            return session;
        }
        McpSession touched = session.withLastSeenAt(now);
        // A failed update means another node touched or deleted it meanwhile; either way nothing to redo.
        store.find(KIND, session.sessionId())
                .filter(record -> Json.read(record.document(), McpSession.class).belongsTo(session.gatewayId(),
                        session.principal()))
                .ifPresent(record -> store.update(record.withDocument(Json.write(touched), now)));
        return touched;
    }

    @Override
    public boolean delete(String sessionId, String gatewayId, String principal) {
        return find(sessionId, gatewayId, principal).isPresent() && store.delete(KIND, sessionId);
    }

    private boolean isExpired(McpSession session) {
        return session.lastSeenAt().plus(idleTimeout).isBefore(clock.instant());
    }
}
