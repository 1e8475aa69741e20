package io.keygate.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * One request as a handler sees it, with typed access to {@code params}.
 *
 * @param session the caller's session; null only for {@code initialize}
 */
record McpRequestContext(String gatewayId, String principal, JsonNode id, ObjectNode params, McpSession session) {
    McpRequestContext {
        Objects.requireNonNull(gatewayId, "gatewayId must not be null");
        Objects.requireNonNull(principal, "principal must not be null");
        Objects.requireNonNull(id, "id must not be null");
        Objects.requireNonNull(params, "params must not be null");
    }

    McpOutcome.Reply reply(JsonNode result) {
        return new McpOutcome.Reply(JsonRpcResponses.success(id, result), null);
    }

    McpOutcome.Reply error(JsonRpcError error) {
        return new McpOutcome.Reply(JsonRpcResponses.error(id, error), null);
    }

    /** {@code params.<field>} as a string, null when absent or JSON null; -32602 when of another type. */
    String optionalText(String field) {
        JsonNode value = params.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidParamsException(field + " must be a string");
        }
        return value.textValue();
    }

    /** {@code params.<field>} as an object, null when absent or JSON null; -32602 when of another type. */
    ObjectNode optionalObject(String field) {
        JsonNode value = params.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new InvalidParamsException(field + " must be an object");
        }
        return (ObjectNode) value;
    }
}
