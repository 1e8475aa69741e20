package io.keygate.gateway.mcp;

import java.util.Objects;

/**
 * One MCP message as the HTTP layer hands it to {@link McpDispatcher}: who sent it (from the validated
 * token, never from the body — security.md GW-3), on which gateway, with which transport headers.
 *
 * @param gatewayId             the gateway addressed by the URL
 * @param principal             the caller, {@code iss|sub} of the validated inbound token
 * @param sessionIdHeader       the {@code Mcp-Session-Id} header, or null
 * @param protocolVersionHeader the {@code MCP-Protocol-Version} header, or null
 * @param message               the parsed body
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/transports">MCP transports</a>
 */
public record McpCall(String gatewayId, String principal, String sessionIdHeader, String protocolVersionHeader,
                      JsonRpcMessage message) {
    public McpCall {
        Objects.requireNonNull(gatewayId, "gatewayId must not be null");
        Objects.requireNonNull(principal, "principal must not be null");
        Objects.requireNonNull(message, "message must not be null");
    }
}
