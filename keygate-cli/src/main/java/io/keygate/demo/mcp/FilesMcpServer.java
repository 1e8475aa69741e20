package io.keygate.demo.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The demo's MCP server (official MCP Java SDK, Streamable HTTP at {@code /mcp}) with one tool,
 * {@value #TOOL}, that needs the user's own token: it calls the demo IdP's Graph API with the bearer
 * token the request carried (the one Keygate injected) and returns what that API says about the user.
 * Listing tools needs no token.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/server/tools">MCP tools</a>
 */
public final class FilesMcpServer implements AutoCloseable {
    public static final String TOOL = "list_my_files";
    private static final String DESCRIPTION = "Lists the files in the signed-in user's Demo Drive (needs the user's own token).";
    private static final Map<String, Object> INPUT_SCHEMA = Map.of("type", "object", "properties", Map.of());
    private static final String AUTHORIZATION = "authorization";
    private final HttpServletStreamableServerTransportProvider transport;
    private final McpSyncServer server;
    private final URI graphFiles;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param graphFiles the demo IdP's {@code /graph/me/files} URL */
    public FilesMcpServer(URI graphFiles) {
        this.graphFiles = graphFiles;
        this.transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(new JacksonMcpJsonMapper(new ObjectMapper()))
                .mcpEndpoint("/mcp")
                .contextExtractor(request -> McpTransportContext.create(request.getHeader("Authorization") == null
                        ? Map.of() : Map.of(AUTHORIZATION, request.getHeader("Authorization"))))
                .build();
        this.server = McpServer.sync(transport)
                .serverInfo("demo-drive", "1.0.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .build();
        McpSchema.Tool tool = McpSchema.Tool.builder().name(TOOL).description(DESCRIPTION).inputSchema(INPUT_SCHEMA).build();
        server.addTool(McpServerFeatures.SyncToolSpecification.builder().tool(tool)
                .callHandler((exchange, request) -> call(exchange.transportContext().get(AUTHORIZATION)))
                .build());
    }

    /** The tool list as a target's inline {@code mcpToolSchema} payload: the same definition the server lists. */
    public static Map<String, Object> toolSchema() {
        return Map.of("tools", List.of(Map.of("name", TOOL, "description", DESCRIPTION, "inputSchema", INPUT_SCHEMA)));
    }

    /** The servlet to mount at {@code /mcp} (asynchronous support on). */
    public jakarta.servlet.http.HttpServlet servlet() {
        return transport;
    }

    private McpSchema.CallToolResult call(Object authorization) {
        if (!(authorization instanceof String header) || !header.startsWith("Bearer ")) {
            return failure("No bearer token arrived: this tool needs the user's own token, which Keygate injects.");
        }
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(graphFiles).timeout(Duration.ofSeconds(10))
                    .header("Authorization", header).header("Accept", "application/json").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                return failure("The Graph API refused the token (HTTP " + answer.statusCode() + ", "
                        + answer.headers().firstValue("WWW-Authenticate").orElse("no details") + ").");
            }
            return McpSchema.CallToolResult.builder().addTextContent(answer.body()).build();
        } catch (IOException e) {
            return failure("The Graph API at " + graphFiles.getAuthority() + " did not answer; try again.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failure("Interrupted while calling the Graph API.");
        }
    }

    private static McpSchema.CallToolResult failure(String message) {
        return McpSchema.CallToolResult.builder().content(List.of(new McpSchema.TextContent(message))).isError(true).build();
    }

    @Override
    public void close() {
        server.close();
    }
}
