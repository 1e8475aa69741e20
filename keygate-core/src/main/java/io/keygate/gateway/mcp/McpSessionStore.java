package io.keygate.gateway.mcp;

import java.util.Optional;

/**
 * Shared storage of {@link McpSession}s, so any gateway node can answer any request of a session.
 * A session is visible only to the (gatewayId, principal) that created it: a lookup by anyone else
 * finds nothing, which the endpoint answers with 404 (security.md GW-4, B11).
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#session-management">MCP session management</a>
 */
public interface McpSessionStore {

    /** Opens a session with a fresh id. */
    McpSession create(String gatewayId, String principal, String protocolVersion, boolean clientSupportsUrlElicitation);

    /** The live session with this id owned by (gatewayId, principal); empty if unknown, expired or foreign. */
    Optional<McpSession> find(String sessionId, String gatewayId, String principal);

    /** Records activity on a session; may skip the write when the last one is recent. Returns the session as now known. */
    McpSession touch(McpSession session);

    /** Ends the session if (gatewayId, principal) owns it; false when there was none to end. */
    boolean delete(String sessionId, String gatewayId, String principal);
}
