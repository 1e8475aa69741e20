package io.keygate.gateway;

import io.keygate.gateway.mcp.ToolDefinition;
import io.keygate.json.Json;
import io.keygate.net.OutboundUrlGuard;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Lists a target's tools with the official MCP Java SDK client over Streamable HTTP, each request
 * bounded by a timeout. The endpoint passes the outbound URL policy first; redirects are not followed.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#streamable-http">Streamable HTTP</a>
 */
public final class McpToolLister implements ToolLister {
    private static final int MAX_PAGES = 100;
    /** A page of tool definitions is read up to 10 MiB (AgentCore's limit for an S3 schema), no further. */
    private static final int MAX_PAGE_BYTES = 10 * 1024 * 1024;
    private final OutboundUrlGuard guard;
    private final Duration timeout;
    private final JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(Json.MAPPER.copy());

    public McpToolLister(OutboundUrlGuard guard, Duration timeout) {
        this.guard = Objects.requireNonNull(guard, "guard must not be null");
        this.timeout = Objects.requireNonNull(timeout, "timeout must not be null");
    }

    @Override
    public List<ToolDefinition> listTools(URI endpoint, Map<String, String> headers) {
        Objects.requireNonNull(endpoint, "endpoint must not be null");
        Objects.requireNonNull(headers, "headers must not be null");
        String shown = TargetHttp.withoutQuery(endpoint);
        TargetHttp.allow(guard, endpoint, shown);
        var transport = new StreamableHttpTargetTransport(endpoint, headers, new TargetLimits(timeout, MAX_PAGE_BYTES, 1),
                mapper);
        try (McpSyncClient client = openClient(transport, timeout)) {
            client.initialize();
            return listAll(client, shown);
        } catch (ToolListingException failure) {
            throw failure;
        } catch (RuntimeException failure) {
            throw new ToolListingException("Listing the tools of " + shown + " failed: " + describe(failure, endpoint), failure);
        }
    }

    /** The SDK's MCP client over {@code transport}, each request within {@code timeout}; shared with {@link McpToolCaller}. */
    static McpSyncClient openClient(StreamableHttpTargetTransport transport, Duration timeout) {
        return McpClient.sync(transport)
                .clientInfo(new McpSchema.Implementation("keygate-gateway", "0.1.0"))
                .requestTimeout(timeout)
                .initializationTimeout(timeout)
                .build();
    }

    private static List<ToolDefinition> listAll(McpSyncClient client, String shown) {
        List<ToolDefinition> tools = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        String cursor = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            McpSchema.ListToolsResult result = cursor == null ? client.listTools() : client.listTools(cursor);
            for (McpSchema.Tool tool : result.tools()) {
                tools.add(new ToolDefinition(tool.name(), tool.title(), tool.description(),
                        tool.inputSchema() == null ? Json.MAPPER.createObjectNode().put("type", "object")
                                : Json.MAPPER.valueToTree(tool.inputSchema()),
                        tool.outputSchema() == null ? null : Json.MAPPER.valueToTree(tool.outputSchema()),
                        tool.annotations() == null ? null : Json.MAPPER.valueToTree(tool.annotations())));
            }
            cursor = result.nextCursor();
            if (cursor == null || cursor.isEmpty()) {
                return tools;
            }
            if (!cursors.add(cursor)) {
                throw new ToolListingException("Listing the tools of " + shown + " failed: the server repeated the "
                        + "cursor " + cursor + " (a paging loop)", null);
            }
        }
        throw new ToolListingException("Listing the tools of " + shown + " failed: more than " + MAX_PAGES
                + " pages of tools", null);
    }

    /** The root cause in a few words (its first line), with the endpoint's query (which may hold a key) removed. */
    static String describe(RuntimeException failure, URI endpoint) {
        Throwable root = TargetHttp.root(failure);
        String text;
        StreamableHttpTargetTransport.TargetStatusException refused = causeOfType(failure,
                StreamableHttpTargetTransport.TargetStatusException.class);
        TargetCallException broken = causeOfType(failure, TargetCallException.class);
        if (refused != null) {
            text = "the server answered HTTP " + refused.status() + (refused.refusedCredential() ? " (not authorized)" : "");
        } else if (broken != null) {
            text = broken.getMessage();
        } else if (failure instanceof McpError mcp && mcp.getJsonRpcError() != null) {
            text = "the server answered JSON-RPC error " + mcp.getJsonRpcError().code() + " " + mcp.getJsonRpcError().message();
        } else if (root instanceof java.net.ConnectException || root instanceof java.nio.channels.ClosedChannelException) {
            text = "the connection was refused or closed; check that the MCP server runs at this address";
        } else if (root instanceof java.util.concurrent.TimeoutException) {
            text = "no answer in time; check that the endpoint is an MCP server and answers promptly";
        } else {
            text = TargetHttp.firstLine(root);
        }
        return TargetHttp.shortened(text, endpoint);
    }

    private static <T extends Throwable> T causeOfType(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }
}
