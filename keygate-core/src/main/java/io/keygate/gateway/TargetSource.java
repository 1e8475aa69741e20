package io.keygate.gateway;

import io.keygate.gateway.mcp.ToolDefinition;

import java.util.List;

/**
 * What a validated target configuration says about its tools: the kind of target, the MCP endpoint
 * (mcpServer only), the tools known without contacting anything (null: they must be listed), and
 * whether they are listed live on each {@code tools/list} ({@code listingMode} DYNAMIC).
 */
record TargetSource(Kind kind, String endpoint, List<ToolDefinition> knownTools, boolean dynamic) {

    enum Kind { MCP_SERVER, OPEN_API_SCHEMA, LAMBDA }

    /** An MCP server without an inline tool schema: its tools come from the server. */
    boolean listsTools() {
        return kind == Kind.MCP_SERVER && knownTools == null;
    }

    /** Listed and stored when written, and again on SynchronizeGatewayTargets (listingMode DEFAULT). */
    boolean storesListedTools() {
        return listsTools() && !dynamic;
    }
}
