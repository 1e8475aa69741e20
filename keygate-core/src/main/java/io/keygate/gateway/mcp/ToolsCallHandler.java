package io.keygate.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keygate.json.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code tools/call}: hands the call to the {@link ToolInvoker} and renders its outcome. A required
 * authorization becomes error -32042 for clients that can take it (2025-11-25 and a declared
 * {@code elicitation.url}); every other client gets an {@code isError} result carrying the link, so a
 * human still sees where to go.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/server/tools#calling-tools">MCP calling tools</a>
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/client/elicitation#url-elicitation-required-error">URLElicitationRequiredError</a>
 */
final class ToolsCallHandler implements McpRequestHandler {
    static final String AUTHORIZATION_NEEDED = "This tool needs your authorization";
    /** The AgentCore tool-name limit; longer names are cut when echoed in an error. */
    private static final int MAX_ECHOED_NAME = 256;

    private final ToolInvoker invoker;

    ToolsCallHandler(ToolInvoker invoker) {
        this.invoker = Objects.requireNonNull(invoker, "invoker must not be null");
    }

    @Override
    public McpOutcome handle(McpRequestContext context) {
        String name = context.optionalText("name");
        if (name == null || name.isEmpty()) {
            throw new InvalidParamsException("tools/call requires name");
        }
        JsonNode arguments = orEmpty(context.optionalObject("arguments"));
        JsonNode meta = orEmpty(context.optionalObject("_meta"));
        McpSession session = context.session();
        ToolCallOutcome outcome = invoker.call(context.gatewayId(), session, name, arguments, meta);
        if (outcome instanceof ToolCallOutcome.Result result) {
            return context.reply(result.callToolResult());
        }
        if (outcome instanceof ToolCallOutcome.Failure failure) {
            return context.reply(errorResult(failure.message()));
        }
        if (outcome instanceof ToolCallOutcome.UrlElicitationRequired required) {
            return session.acceptsUrlElicitationError()
                    ? context.error(urlElicitationError(required))
                    : context.reply(errorResult(linkText(required, session.protocolVersion())));
        }
        if (outcome instanceof ToolCallOutcome.UnknownTool) {
            String shown = name.length() > MAX_ECHOED_NAME ? name.substring(0, MAX_ECHOED_NAME) + "..." : name;
            return context.error(JsonRpcError.of(JsonRpcError.INVALID_PARAMS, "Unknown tool: " + shown));
        }
        throw new IllegalStateException("tool invoker returned no outcome");
    }

    /** Built from plain maps, not MCP SDK types (stack.md F1: the SDK's types drop or double {@code mode}). */
    static JsonRpcError urlElicitationError(ToolCallOutcome.UrlElicitationRequired required) {
        Map<String, Object> elicitation = new LinkedHashMap<>();
        elicitation.put("mode", "url");
        elicitation.put("elicitationId", required.elicitationId());
        elicitation.put("url", required.url());
        elicitation.put("message", required.message());
        JsonNode data = Json.MAPPER.valueToTree(Map.of("elicitations", List.of(elicitation)));
        return new JsonRpcError(JsonRpcError.URL_ELICITATION_REQUIRED, AUTHORIZATION_NEEDED, data);
    }

    private static String linkText(ToolCallOutcome.UrlElicitationRequired required, String protocolVersion) {
        String text = required.message() + "\n\nOpen this link to authorize, then call the tool again: "
                + required.url();
        if (!McpProtocolVersions.hasUrlElicitation(protocolVersion)) {
            text += "\n\n(Your client uses MCP protocol " + protocolVersion + "; automatic URL elicitation needs "
                    + "protocol " + McpProtocolVersions.V2025_11_25 + ".)";
        } else {
            text += "\n\n(Your client did not declare the elicitation.url capability; clients that do are sent to "
                    + "the link automatically.)";
        }
        return text;
    }

    private static ObjectNode errorResult(String text) {
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.putArray("content").addObject().put("type", "text").put("text", text);
        result.put("isError", true);
        return result;
    }

    private static JsonNode orEmpty(ObjectNode value) {
        return value == null ? Json.MAPPER.createObjectNode() : value;
    }
}
