package io.keygate.gateway.mcp;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keygate.json.Json;

import java.io.IOException;

/**
 * Turns a request body into a {@link JsonRpcMessage} with limits enforced by the tokenizer itself, so a
 * hostile body fails fast and never reaches a recursive step (security.md B2, GW-7): size checked
 * before parsing, nesting depth 64, strings 1 MiB; the number of object keys is bounded by the size.
 * Duplicate keys are refused so that no later component reads a different message than we did, and
 * decimals are read as BigDecimal so tool arguments reach the target without rounding.
 */
final class JsonRpcParser {
    static final int MAX_DEPTH = 64;
    private static final ObjectMapper READER = new ObjectMapper(Json.factory()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxDocumentLength(JsonRpcMessage.MAX_BODY_BYTES)
                    .maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(JsonRpcMessage.MAX_BODY_BYTES)
                    .build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private JsonRpcParser() {
    }

    static JsonRpcParseResult parse(byte[] body) {
        if (body.length > JsonRpcMessage.MAX_BODY_BYTES) {
            return new JsonRpcParseResult.TooLarge(JsonRpcMessage.MAX_BODY_BYTES);
        }
        JsonNode root;
        try {
            root = readSingleValue(body);
        } catch (StreamConstraintsException tooBig) {
            return invalid(null, JsonRpcError.invalidRequest(limitProblem(tooBig)));
        } catch (MismatchedInputException duplicate) {
            return invalid(null, JsonRpcError.invalidRequest("duplicate object key"));
        } catch (IOException notJson) {
            return invalid(null, JsonRpcError.of(JsonRpcError.PARSE_ERROR, "Parse error: body is not valid JSON"));
        }
        if (root == null) {
            return invalid(null, JsonRpcError.of(JsonRpcError.PARSE_ERROR, "Parse error: body is empty"));
        }
        return classify(root);
    }

    static boolean isValidId(JsonNode id) {
        return id.isTextual() || (id.isIntegralNumber() && id.canConvertToLong());
    }

    private static JsonNode readSingleValue(byte[] body) throws IOException {
        try (JsonParser parser = READER.createParser(body)) {
            JsonNode root = READER.readTree(parser);
            if (root != null && parser.nextToken() != null) {
                throw new JsonParseException(parser, "trailing content");
            }
            return root;
        }
    }

    private static JsonRpcParseResult classify(JsonNode root) {
        if (root.isArray()) {
            return invalid(null, JsonRpcError.invalidRequest("batches are not supported"));
        }
        if (!root.isObject()) {
            return invalid(null, JsonRpcError.invalidRequest("message must be a JSON object"));
        }
        ObjectNode message = (ObjectNode) root;
        JsonNode id = message.get("id");
        JsonNode echoId = id != null && isValidId(id) ? id : null;
        JsonRpcError envelopeError = envelopeError(message, id);
        if (envelopeError != null) {
            return invalid(echoId, envelopeError);
        }
        String method = message.get("method").textValue();
        JsonNode params = message.has("params") ? message.get("params") : Json.MAPPER.createObjectNode();
        JsonRpcMessage parsed = id == null
                ? new JsonRpcMessage.Notification(method, params)
                : new JsonRpcMessage.Request(id, method, params);
        return new JsonRpcParseResult.Parsed(parsed);
    }

    /** The first JSON-RPC 2.0 envelope rule the message breaks, or null. */
    private static JsonRpcError envelopeError(ObjectNode message, JsonNode id) {
        JsonNode version = message.get("jsonrpc");
        if (version == null || !"2.0".equals(version.textValue())) {
            return JsonRpcError.invalidRequest("jsonrpc must be \"2.0\"");
        }
        if (id != null && !isValidId(id)) {
            return JsonRpcError.invalidRequest("id must be a string or an integer");
        }
        JsonNode method = message.get("method");
        if (method == null) {
            return message.has("result") || message.has("error")
                    ? JsonRpcError.invalidRequest("responses are not accepted: this server sends no requests")
                    : JsonRpcError.invalidRequest("method is required");
        }
        if (!method.isTextual() || method.textValue().isEmpty()) {
            return JsonRpcError.invalidRequest("method must be a non-empty string");
        }
        JsonNode params = message.get("params");
        if (params != null && !params.isContainerNode()) {
            return JsonRpcError.invalidRequest("params must be an object");
        }
        return null;
    }

    private static String limitProblem(JsonProcessingException exceeded) {
        String detail = String.valueOf(exceeded.getOriginalMessage());
        if (detail.startsWith("Document nesting depth")) {
            return "JSON nested deeper than " + MAX_DEPTH + " levels";
        }
        if (detail.startsWith("String value length")) {
            return "JSON string longer than " + JsonRpcMessage.MAX_BODY_BYTES + " characters";
        }
        return "JSON exceeds the parser's limits";
    }

    private static JsonRpcParseResult invalid(JsonNode id, JsonRpcError error) {
        return new JsonRpcParseResult.Invalid(id, error);
    }
}
