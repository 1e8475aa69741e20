package io.keygate.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The protocol core of a gateway's MCP endpoint: checks the transport rules (session, protocol-version
 * header) and routes each request to the handler of its method. Holds no per-session state itself: the
 * session lives in the shared {@link McpSessionStore}, so any node can answer any request.
 *
 * <ul>
 *   <li>{@code initialize} needs no session and opens one; every other message needs the
 *       {@code Mcp-Session-Id} of a live session owned by the caller on this gateway (missing or
 *       malformed → 400, unknown or foreign → 404).</li>
 *   <li>{@code MCP-Protocol-Version}, when sent, must equal the session's negotiated version (else 400).
 *       When absent the negotiated version is assumed; the spec's 2025-03-26 default only matters for
 *       requests without a session, which this endpoint refuses anyway.</li>
 *   <li>Notifications, known or not, are accepted (202) and never answered.</li>
 *   <li>An unexpected exception becomes a bare -32603; the detail goes to the log, the arguments never.</li>
 * </ul>
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic">MCP base protocol</a>
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/transports">MCP transports</a>
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/server/tools">MCP tools</a>
 */
public final class McpDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(McpDispatcher.class);
    private static final String INITIALIZE = "initialize";

    private final McpSessionStore sessions;
    private final Map<String, McpRequestHandler> handlers;

    public McpDispatcher(McpSessionStore sessions, ToolCatalog catalog, ToolInvoker invoker, McpServerInfo serverInfo) {
        this.sessions = Objects.requireNonNull(sessions, "sessions must not be null");
        Objects.requireNonNull(catalog, "catalog must not be null");
        Objects.requireNonNull(invoker, "invoker must not be null");
        Objects.requireNonNull(serverInfo, "serverInfo must not be null");
        this.handlers = Map.of(
                INITIALIZE, new InitializeHandler(sessions, serverInfo),
                "ping", new PingHandler(),
                "tools/list", new ToolsListHandler(catalog),
                "tools/call", new ToolsCallHandler(invoker));
    }

    public McpOutcome dispatch(McpCall call) {
        Objects.requireNonNull(call, "call must not be null");
        if (call.message() instanceof JsonRpcMessage.Request request) {
            return dispatchRequest(call, request);
        }
        return dispatchNotification(call);
    }

    private McpOutcome dispatchRequest(McpCall call, JsonRpcMessage.Request request) {
        try {
            McpSession session = null;
            if (!INITIALIZE.equals(request.method())) {
                SessionLookup lookup = resolveSession(call, request.id());
                if (lookup.refusal() != null) {
                    return lookup.refusal();
                }
                session = lookup.session();
            }
            return handle(call, request, session);
        } catch (InvalidParamsException invalid) {
            return reply(request.id(), JsonRpcError.invalidParams(invalid.getMessage()));
        } catch (RuntimeException failure) {
            LOG.warn("MCP request failed: gateway={} id={} method={}", LogSafe.of(call.gatewayId()),
                    LogSafe.of(request.id().asText()), LogSafe.of(request.method()), failure);
            return reply(request.id(), JsonRpcError.internalError());
        }
    }

    private McpOutcome handle(McpCall call, JsonRpcMessage.Request request, McpSession session) {
        McpRequestHandler handler = handlers.get(request.method());
        if (handler == null) {
            return reply(request.id(), JsonRpcError.of(JsonRpcError.METHOD_NOT_FOUND, "Method not found"));
        }
        if (!request.params().isObject()) {
            return reply(request.id(), JsonRpcError.invalidParams("params must be an object"));
        }
        return handler.handle(new McpRequestContext(call.gatewayId(), call.principal(), request.id(),
                (ObjectNode) request.params(), session));
    }

    private McpOutcome dispatchNotification(McpCall call) {
        try {
            SessionLookup lookup = resolveSession(call, null);
            return lookup.refusal() != null ? lookup.refusal() : new McpOutcome.Accepted();
        } catch (RuntimeException failure) {
            LOG.warn("MCP notification failed: gateway={} method={}", LogSafe.of(call.gatewayId()),
                    LogSafe.of(call.message().method()), failure);
            return new McpOutcome.HttpError(500, JsonRpcResponses.error(null, JsonRpcError.internalError()));
        }
    }

    /** The caller's live session, or the HTTP refusal; {@code id} goes into the refusal body (null for notifications). */
    private SessionLookup resolveSession(McpCall call, JsonNode id) {
        String sessionId = call.sessionIdHeader();
        if (sessionId == null || sessionId.isEmpty()) {
            return refuse(400, id, JsonRpcError.of(JsonRpcError.INVALID_REQUEST,
                    "Mcp-Session-Id header required: send initialize first"));
        }
        if (!McpSessionIds.isWellFormed(sessionId)) {
            return refuse(400, id, JsonRpcError.invalidRequest("Mcp-Session-Id header is malformed"));
        }
        Optional<McpSession> found = sessions.find(sessionId, call.gatewayId(), call.principal());
        if (found.isEmpty()) {
            return refuse(404, id, JsonRpcError.of(JsonRpcError.SESSION_NOT_FOUND,
                    "Session not found: send initialize to start a new session"));
        }
        McpSession session = found.get();
        String versionHeader = call.protocolVersionHeader();
        if (versionHeader != null && !versionHeader.equals(session.protocolVersion())) {
            return refuse(400, id, JsonRpcError.invalidRequest("MCP-Protocol-Version must be "
                    + session.protocolVersion() + ", the version negotiated for this session (supported: "
                    + String.join(", ", McpProtocolVersions.SUPPORTED) + ")"));
        }
        return new SessionLookup(sessions.touch(session), null);
    }

    private static SessionLookup refuse(int status, JsonNode id, JsonRpcError error) {
        return new SessionLookup(null, new McpOutcome.HttpError(status, JsonRpcResponses.error(id, error)));
    }

    private static McpOutcome.Reply reply(JsonNode id, JsonRpcError error) {
        return new McpOutcome.Reply(JsonRpcResponses.error(id, error), null);
    }

    /** Exactly one of the two is set. */
    private record SessionLookup(McpSession session, McpOutcome.HttpError refusal) {
    }
}
