package io.keygate.gateway;

import io.keygate.gateway.mcp.ToolDefinition;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Lists the tools of a remote MCP server ({@code initialize}, then {@code tools/list} following
 * {@code nextCursor}) with the headers it is given. The seam between the credentials and the network:
 * {@link McpToolLister} is the real one.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/server/tools#listing-tools">Listing tools</a>
 */
public interface ToolLister {

    /**
     * @param endpoint the MCP endpoint (Streamable HTTP)
     * @param headers  extra request headers, such as an outbound credential
     * @return every tool the server lists
     * @throws ToolListingException when the server cannot be reached or does not answer as an MCP server;
     *                              its message names the endpoint and the failure, never a credential
     */
    List<ToolDefinition> listTools(URI endpoint, Map<String, String> headers);
}
