package io.keygate.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * A JSON-RPC 2.0 message an MCP client may send to the gateway: a {@link Request} (answered) or a
 * {@link Notification} (never answered). Client responses and batches are rejected by {@link #parse}.
 *
 * <p>{@code params} is the object or array given by the client, or an empty object when absent;
 * JSON-RPC allows arrays, MCP methods require objects, so the dispatcher rejects arrays with -32602.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic">MCP base protocol: messages</a>
 */
public sealed interface JsonRpcMessage {
    /** Bodies larger than this are refused before parsing (security.md B2); HTTP 413. */
    int MAX_BODY_BYTES = 1024 * 1024;

    String method();

    JsonNode params();

    /**
     * Parses one message under the size, depth and string-length limits of {@link JsonRpcParser}.
     */
    static JsonRpcParseResult parse(byte[] body) {
        return JsonRpcParser.parse(Objects.requireNonNull(body, "body must not be null"));
    }

    /**
     * A request: {@code id} is a JSON string or an integral number that fits in a long (MCP forbids null).
     */
    record Request(JsonNode id, String method, JsonNode params) implements JsonRpcMessage {
        public Request {
            Objects.requireNonNull(id, "id must not be null");
            Objects.requireNonNull(method, "method must not be null");
            Objects.requireNonNull(params, "params must not be null");
            if (!JsonRpcParser.isValidId(id)) {
                throw new IllegalArgumentException("id must be a string or an integer");
            }
        }
    }

    /** A notification: no id, no response. */
    record Notification(String method, JsonNode params) implements JsonRpcMessage {
        public Notification {
            Objects.requireNonNull(method, "method must not be null");
            Objects.requireNonNull(params, "params must not be null");
        }
    }
}
