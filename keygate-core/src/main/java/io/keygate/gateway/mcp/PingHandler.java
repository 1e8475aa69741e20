package io.keygate.gateway.mcp;

import io.keygate.json.Json;

/**
 * {@code ping}: an empty result.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/utilities/ping">MCP ping</a>
 */
final class PingHandler implements McpRequestHandler {

    @Override
    public McpOutcome handle(McpRequestContext context) {
        return context.reply(Json.MAPPER.createObjectNode());
    }
}
