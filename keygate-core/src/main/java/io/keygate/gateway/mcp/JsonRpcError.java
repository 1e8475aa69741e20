package io.keygate.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * A JSON-RPC 2.0 error object: code, a short generic message, optional data. Messages never carry
 * stack traces, class names or client-supplied secrets (security.md LG-5).
 *
 * @param code    JSON-RPC error code
 * @param message short human-readable description
 * @param data    extra structured information, or null
 * @see <a href="https://www.jsonrpc.org/specification#error_object">JSON-RPC 2.0 error object</a>
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic">MCP base protocol</a>
 */
public record JsonRpcError(int code, String message, JsonNode data) {
    public static final int PARSE_ERROR = -32700;
    public static final int INVALID_REQUEST = -32600;
    public static final int METHOD_NOT_FOUND = -32601;
    public static final int INVALID_PARAMS = -32602;
    public static final int INTERNAL_ERROR = -32603;
    /** Implementation-defined code the TypeScript SDK also uses for an unknown session. */
    public static final int SESSION_NOT_FOUND = -32001;
    /** {@code URLElicitationRequiredError}, MCP 2025-11-25. */
    public static final int URL_ELICITATION_REQUIRED = -32042;

    public JsonRpcError {
        Objects.requireNonNull(message, "message must not be null");
    }

    public static JsonRpcError of(int code, String message) {
        return new JsonRpcError(code, message, null);
    }

    public static JsonRpcError invalidRequest(String problem) {
        return of(INVALID_REQUEST, "Invalid Request: " + problem);
    }

    public static JsonRpcError invalidParams(String problem) {
        return of(INVALID_PARAMS, "Invalid params: " + problem);
    }

    public static JsonRpcError internalError() {
        return of(INTERNAL_ERROR, "Internal error");
    }
}
