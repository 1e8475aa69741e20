package io.keygate.demo.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.json.Json;
import io.keygate.server.http.QueryString;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The agent's MCP client (official MCP Java SDK, protocol 2025-11-25, URL elicitation declared): calls
 * one tool through the Keygate gateway with the user's JWT as bearer token. A {@code -32042} answer
 * carries the consent link; the agent hands it to the page instead of opening anything itself.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/client/elicitation">URL elicitation</a>
 */
final class GatewayAgent {
    static final int URL_ELICITATION_REQUIRED = -32042;

    /** What one call came to. */
    sealed interface Outcome permits Result, ConsentRequired {
    }

    /** The tool's answer (its text content) and whether the tool itself reported an error. */
    record Result(String text, boolean isError) implements Outcome {
    }

    /** The gateway needs the user's consent first; {@code sessionUri} is the consent session. */
    record ConsentRequired(String url, String sessionUri) implements Outcome {
    }

    private final URI gatewayUrl;
    private final String tool;

    GatewayAgent(URI gatewayUrl, String tool) {
        this.gatewayUrl = gatewayUrl;
        this.tool = tool;
    }

    String tool() {
        return tool;
    }

    /** @throws McpError for any JSON-RPC error other than -32042 (its message is the gateway's) */
    Outcome call(String bearer) {
        var transport = HttpClientStreamableHttpTransport.builder(gatewayUrl.toString()).endpoint(gatewayUrl.toString())
                .jsonMapper(new JacksonMcpJsonMapper(Json.MAPPER.copy()))
                .httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization", "Bearer " + bearer))
                .build();
        try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30))
                .clientInfo(new McpSchema.Implementation("keygate-demo-agent", "1.0"))
                .urlElicitation(request -> new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, null))
                .build()) {
            client.initialize();
            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool, Map.of()));
            String text = result.content().stream().filter(McpSchema.TextContent.class::isInstance)
                    .map(content -> ((McpSchema.TextContent) content).text()).collect(Collectors.joining("\n"));
            return new Result(text, Boolean.TRUE.equals(result.isError()));
        } catch (McpError error) {
            if (error.getJsonRpcError() == null || error.getJsonRpcError().code() != URL_ELICITATION_REQUIRED) {
                throw error;
            }
            JsonNode elicitation = Json.MAPPER.valueToTree(error.getJsonRpcError().data()).path("elicitations").path(0);
            String url = elicitation.path("url").asText();
            return new ConsentRequired(url, QueryString.parse(URI.create(url).getRawQuery()).get("request_uri"));
        }
    }
}
