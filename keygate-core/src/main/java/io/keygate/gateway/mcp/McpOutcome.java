package io.keygate.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * What the HTTP layer sends back for one {@link McpCall}.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#sending-messages-to-the-server">MCP transports: sending messages</a>
 */
public sealed interface McpOutcome {

    /**
     * HTTP 200 with a JSON-RPC response (a result or a JSON-RPC error).
     *
     * @param response     the JSON-RPC response object
     * @param newSessionId set only by {@code initialize}: the value of the {@code Mcp-Session-Id} response header
     */
    record Reply(JsonNode response, String newSessionId) implements McpOutcome {
        public Reply {
            Objects.requireNonNull(response, "response must not be null");
        }
    }

    /** HTTP 202 with no body: a notification was accepted. */
    record Accepted() implements McpOutcome {
    }

    /**
     * A transport-level refusal (400 bad message, missing session or version header; 404 unknown session;
     * 413 too large; 500 failure while handling a notification).
     *
     * @param status HTTP status
     * @param body   a JSON-RPC error response
     */
    record HttpError(int status, JsonNode body) implements McpOutcome {
        public HttpError {
            Objects.requireNonNull(body, "body must not be null");
        }
    }
}
