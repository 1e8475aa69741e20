package io.keygate.gateway.mcp;

import java.time.Instant;
import java.util.Objects;

/**
 * One MCP session as every gateway node sees it: created by {@code initialize}, owned by one caller on
 * one gateway (security.md GW-4), carrying what was negotiated.
 *
 * @param sessionId                    the {@code Mcp-Session-Id} value (see {@link McpSessionIds})
 * @param gatewayId                    the gateway the session was opened on
 * @param principal                    the caller, {@code iss|sub} of the validated inbound token
 * @param protocolVersion              the negotiated protocol version
 * @param clientSupportsUrlElicitation whether the client declared {@code capabilities.elicitation.url}
 * @param createdAt                    when {@code initialize} ran
 * @param lastSeenAt                   last recorded activity, for the idle timeout
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#session-management">MCP session management</a>
 */
public record McpSession(String sessionId, String gatewayId, String principal, String protocolVersion,
                         boolean clientSupportsUrlElicitation, Instant createdAt, Instant lastSeenAt) {
    public McpSession {
        Objects.requireNonNull(sessionId, "sessionId must not be null");
        Objects.requireNonNull(gatewayId, "gatewayId must not be null");
        Objects.requireNonNull(principal, "principal must not be null");
        Objects.requireNonNull(protocolVersion, "protocolVersion must not be null");
        Objects.requireNonNull(createdAt, "createdAt must not be null");
        Objects.requireNonNull(lastSeenAt, "lastSeenAt must not be null");
    }

    /** Whether this session was opened by {@code principal} on {@code gatewayId}. */
    public boolean belongsTo(String gatewayId, String principal) {
        return this.gatewayId.equals(gatewayId) && this.principal.equals(principal);
    }

    /** Whether a -32042 error may be sent: the client speaks 2025-11-25 and declared URL elicitation. */
    public boolean acceptsUrlElicitationError() {
        return clientSupportsUrlElicitation && McpProtocolVersions.hasUrlElicitation(protocolVersion);
    }

    public McpSession withLastSeenAt(Instant seen) {
        return new McpSession(sessionId, gatewayId, principal, protocolVersion, clientSupportsUrlElicitation,
                createdAt, seen);
    }
}
