package io.keygate.gateway.mcp;

import io.keygate.cache.ReadCache;
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
 * does not turn every MCP request into a store write. Sessions read from the store are kept in memory
 * for {@link #CACHE_TTL}: a delete or expiry on this node applies at once (the cache never serves a
 * session this node deleted), a delete on another node within that time.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#session-management">MCP session management</a>
 */
public final class ResourceMcpSessionStore implements McpSessionStore {
    public static final String KIND = "mcp-session";
    /** AgentCore's default gateway session timeout. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofHours(1);
    private static final Duration MAX_TOUCH_INTERVAL = Duration.ofMinutes(1);
    private static final int CREATE_ATTEMPTS = 3;
    /** How long another node's delete of a session may go unseen here. */
    public static final Duration CACHE_TTL = Duration.ofSeconds(5);

    private final ResourceStore store;
    private final Clock clock;
    private final Duration idleTimeout;
    private final Duration touchInterval;
    private final ReadCache<String, McpSession> cached;

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
        this.cached = new ReadCache<>(clock, CACHE_TTL, 100_000);
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
        McpSession session = cached.get(sessionId, id -> store.find(KIND, id)
                .map(record -> Json.read(record.document(), McpSession.class)).orElse(null));
        if (session == null || !session.belongsTo(gatewayId, principal)) {
            return Optional.empty();
        }
        if (isExpired(session)) {
            store.delete(KIND, sessionId);
            cached.invalidate(sessionId);
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
        cached.invalidate(session.sessionId());
        return touched;
    }

    @Override
    public boolean delete(String sessionId, String gatewayId, String principal) {
        if (find(sessionId, gatewayId, principal).isEmpty()) {
            return false;
        }
        boolean deleted = store.delete(KIND, sessionId);
        cached.invalidate(sessionId);
        return deleted;
    }

    private boolean isExpired(McpSession session) {
        return session.lastSeenAt().plus(idleTimeout).isBefore(clock.instant());
    }
}
