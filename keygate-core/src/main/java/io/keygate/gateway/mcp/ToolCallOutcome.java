package io.keygate.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * How a {@link ToolInvoker} call ended.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/server/tools#tool-result">MCP tool result</a>
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/client/elicitation#url-elicitation-required-error">URLElicitationRequiredError</a>
 */
public sealed interface ToolCallOutcome {

    /** The target's {@code CallToolResult} object, passed through unchanged. */
    record Result(JsonNode callToolResult) implements ToolCallOutcome {
        public Result {
            Objects.requireNonNull(callToolResult, "callToolResult must not be null");
            if (!callToolResult.isObject()) {
                throw new IllegalArgumentException("callToolResult must be a JSON object");
            }
        }
    }

    /** The user must authorize at {@code url} first (outbound 3LO); shown as -32042 or as a link. */
    record UrlElicitationRequired(String elicitationId, String url, String message) implements ToolCallOutcome {
        public UrlElicitationRequired {
            Objects.requireNonNull(elicitationId, "elicitationId must not be null");
            Objects.requireNonNull(url, "url must not be null");
            Objects.requireNonNull(message, "message must not be null");
        }
    }

    /** A tool-level failure the model should see: {@code isError: true} with {@code message} as text. */
    record Failure(String message) implements ToolCallOutcome {
        public Failure {
            Objects.requireNonNull(message, "message must not be null");
        }
    }

    /** No tool of that name for this caller: -32602. */
    record UnknownTool() implements ToolCallOutcome {
    }
}
