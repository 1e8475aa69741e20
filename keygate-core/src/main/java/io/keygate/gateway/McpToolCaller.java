package io.keygate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.keygate.cache.Caches;
import io.keygate.json.Json;
import io.keygate.net.OutboundUrlGuard;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.client.McpSyncClient;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * Calls one tool of an MCP server target, the outbound credential in the request headers, within the
 * target's {@link TargetLimits}: each request is bounded by the timeout and each answer by the size limit
 * ({@link StreamableHttpTargetTransport}). The official MCP Java SDK client opens the MCP session
 * ({@code initialize}, version negotiation, {@code notifications/initialized}); the {@code tools/call}
 * request then goes through that session's transport as JSON, and the target's result comes back as it
 * was sent. Sessions are kept per endpoint, credential and limits (never shared between credentials, so
 * never between users) for five idle minutes (see {@link SharedClient}), so a call costs one round trip
 * instead of three; a failed call drops its session, and is not retried, because a tool call that reached
 * the target may have had effects.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/server/tools#calling-tools">tools/call</a>
 */
public final class McpToolCaller {
    private final OutboundUrlGuard guard;
    private final JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(Json.MAPPER.copy());
    private final Cache<ClientKey, SharedClient<TargetSession>> clients = Caches.newBuilder()
            .maximumSize(1_000)
            .expireAfterAccess(Duration.ofMinutes(5))
            .removalListener((ClientKey key, SharedClient<TargetSession> client, RemovalCause cause) -> {
                if (client != null) {
                    client.retire();
                }
            })
            .build();

    public McpToolCaller(OutboundUrlGuard guard) {
        this.guard = Objects.requireNonNull(guard, "guard must not be null");
    }

    /**
     * @return the target's CallToolResult as JSON
     * @throws ToolListingException saying which target failed and how (never a credential)
     * @throws TargetCallException  no answer in time, an answer over the size limit, or 401/403
     */
    public JsonNode call(URI endpoint, Map<String, String> headers, String toolName, JsonNode arguments,
                         TargetLimits limits) {
        String shown = TargetHttp.withoutQuery(endpoint);
        TargetHttp.allow(guard, endpoint, shown);
        ClientKey key = new ClientKey(endpoint, Map.copyOf(headers), limits);
        SharedClient<TargetSession> shared = null;
        try {
            TargetSession session = null;
            while (session == null) {
                shared = clients.get(key, this::open);
                session = shared.acquire();
                if (shared.retired()) {
                    clients.asMap().remove(key, shared);
                }
            }
            try {
                ObjectNode params = Json.MAPPER.createObjectNode().put("name", toolName);
                params.set("arguments", arguments);
                return session.transport().request("tools/call", params, session.protocolVersion());
            } finally {
                shared.release();
            }
        } catch (RuntimeException failure) {
            if (shared != null) {
                clients.asMap().remove(key, shared);
            }
            throw classify(failure, shown, endpoint, limits);
        }
    }

    /** The SDK client opens the session and negotiates its version; tool calls then go through its transport. */
    private SharedClient<TargetSession> open(ClientKey key) {
        var transport = new StreamableHttpTargetTransport(key.endpoint(), key.headers(), key.limits(), mapper);
        McpSyncClient client = McpToolLister.openClient(transport, key.limits().timeout());
        try {
            return new SharedClient<>(new TargetSession(client, transport, client.initialize().protocolVersion()));
        } catch (RuntimeException failure) {
            client.close();
            throw failure;
        }
    }

    /** An initialized MCP session with a target; closing it ends the session at the target. */
    private record TargetSession(McpSyncClient client, StreamableHttpTargetTransport transport, String protocolVersion)
            implements AutoCloseable {
        @Override
        public void close() {
            client.close();
        }
    }

    /** Clients are never shared between credentials, so never between users; toString leaves the headers out. */
    private record ClientKey(URI endpoint, Map<String, String> headers, TargetLimits limits) {
        @Override
        public String toString() {
            return TargetHttp.withoutQuery(endpoint) + " " + limits;
        }
    }

    /** A broken bound or a refused credential as a {@link TargetCallException}, anything else as it was. */
    private static RuntimeException classify(RuntimeException failure, String shown, URI endpoint, TargetLimits limits) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof TargetCallException known) {
                return known;
            }
            if (cause instanceof TimeoutException) {
                return TargetHttp.timeout(shown, limits, failure);
            }
            if (cause instanceof StreamableHttpTargetTransport.TargetStatusException refused && refused.refusedCredential()) {
                return new TargetCallException(TargetCallException.Reason.TARGET_REFUSED_CREDENTIAL, refused.getMessage(),
                        failure);
            }
        }
        String described = McpToolLister.describe(failure, endpoint);
        return new ToolListingException("The call to " + shown + " failed: " + described, failure);
    }
}
