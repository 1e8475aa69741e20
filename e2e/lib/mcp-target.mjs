import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { listen } from './http.mjs';

/** The tools of the target, as the gateway target's inline `mcpToolSchema` lists them. */
export const TARGET_TOOLS = [{
  name: 'whoami',
  description: 'Returns the Authorization header this MCP server received',
  inputSchema: { type: 'object', properties: {} },
}];

/**
 * A stateless Streamable HTTP MCP server (TypeScript MCP SDK) at /mcp with one tool, `whoami`, that
 * answers with the Authorization header of its request. `authorizations` holds the header of every
 * request the server received, so a test can prove which tokens did and did not reach the target.
 */
export async function startMcpTarget() {
  const authorizations = [];
  const http = await listen(async (req, res) => {
    authorizations.push(req.headers.authorization ?? null);
    if (new URL(req.url, 'http://target').pathname !== '/mcp') {
      res.writeHead(404).end();
      return;
    }
    // Stateless: a fresh server and transport per request, as the SDK documents for this mode.
    const server = new McpServer({ name: 'keygate-e2e-target', version: '1.0.0' });
    server.registerTool('whoami', { description: TARGET_TOOLS[0].description }, async (extra) => ({
      content: [{ type: 'text', text: JSON.stringify({ authorization: extra.requestInfo?.headers.authorization ?? null }) }],
    }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      transport.close();
      server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(req, res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    }
  });
  return {
    endpoint: `${http.url}/mcp`,
    authorizations,
    close: () => http.close(),
  };
}
