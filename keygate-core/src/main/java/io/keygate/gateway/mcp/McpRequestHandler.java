package io.keygate.gateway.mcp;

/** Handles one MCP request method; registered in {@link McpDispatcher} under the method name. */
interface McpRequestHandler {

    /**
     * @return a {@link McpOutcome.Reply}; throws {@link InvalidParamsException} for -32602, any other
     *         exception becomes a bare -32603
     */
    McpOutcome handle(McpRequestContext context);
}
