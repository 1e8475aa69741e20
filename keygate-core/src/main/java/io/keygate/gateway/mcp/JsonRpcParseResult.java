package io.keygate.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * What {@link JsonRpcMessage#parse} made of a request body: a message to dispatch, or a
 * {@link Rejected} body the HTTP layer answers at once with {@link Rejected#toOutcome()}.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/transports">MCP transports</a>
 */
public sealed interface JsonRpcParseResult {

    /** A well-formed request or notification. */
    record Parsed(JsonRpcMessage message) implements JsonRpcParseResult {
        public Parsed {
            Objects.requireNonNull(message, "message must not be null");
        }
    }

    /** A body that is not one acceptable JSON-RPC message. */
    sealed interface Rejected extends JsonRpcParseResult {
        McpOutcome.HttpError toOutcome();
    }

    /**
     * Not JSON (-32700) or not a valid JSON-RPC request (-32600): HTTP 400 with a JSON-RPC error.
     *
     * @param id    the request id when it could be read and was valid, else null
     * @param error the error to send
     */
    record Invalid(JsonNode id, JsonRpcError error) implements Rejected {
        public Invalid {
            Objects.requireNonNull(error, "error must not be null");
        }

        @Override
        public McpOutcome.HttpError toOutcome() {
            return new McpOutcome.HttpError(400, JsonRpcResponses.error(id, error));
        }
    }

    /** A body over {@code limitBytes}: HTTP 413, not parsed at all. */
    record TooLarge(int limitBytes) implements Rejected {
        @Override
        public McpOutcome.HttpError toOutcome() {
            return new McpOutcome.HttpError(413, JsonRpcResponses.error(null,
                    JsonRpcError.invalidRequest("The request body is larger than " + limitBytes + " bytes, the most "
                            + "this endpoint accepts; send a smaller request")));
        }
    }
}
