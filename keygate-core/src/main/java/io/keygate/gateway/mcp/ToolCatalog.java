package io.keygate.gateway.mcp;

import java.util.List;

/**
 * The tools a caller may see on a gateway; implemented by the gateway from its targets. The order must
 * be stable between calls, because {@code tools/list} pages by offset.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/server/tools#listing-tools">MCP listing tools</a>
 */
public interface ToolCatalog {

    List<ToolDefinition> list(String gatewayId, String principal);
}
