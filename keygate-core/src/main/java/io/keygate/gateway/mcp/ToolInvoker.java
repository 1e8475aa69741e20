package io.keygate.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs one tool for a session; implemented by the gateway (routing to the target, credential
 * injection). The caller is {@code session.principal()}. Exceptions become a bare -32603.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/server/tools#calling-tools">MCP calling tools</a>
 */
public interface ToolInvoker {

    /**
     * @param arguments the {@code arguments} object (empty when the client sent none)
     * @param meta      the {@code _meta} object (empty when the client sent none)
     */
    ToolCallOutcome call(String gatewayId, McpSession session, String toolName, JsonNode arguments, JsonNode meta);
}
