package io.keygate.gateway;

import io.keygate.gateway.mcp.ToolDefinition;

import java.util.List;

/**
 * What a validated target configuration says about its tools: the kind of target, the MCP endpoint
 * (mcpServer only), and the tools known without contacting anything (null: they must be listed).
 */
record TargetSource(Kind kind, String endpoint, List<ToolDefinition> knownTools) {

    enum Kind { MCP_SERVER, OPEN_API_SCHEMA, LAMBDA }

    /** An MCP server without an inline tool schema: its tools are listed from it, and synchronizing re-lists them. */
    boolean listsTools() {
        return kind == Kind.MCP_SERVER && knownTools == null;
    }
}
