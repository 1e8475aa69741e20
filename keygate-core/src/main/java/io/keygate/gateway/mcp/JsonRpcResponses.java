package io.keygate.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keygate.json.Json;

/** Builds JSON-RPC 2.0 response objects. */
final class JsonRpcResponses {

    private JsonRpcResponses() {
    }

    static ObjectNode success(JsonNode id, JsonNode result) {
        ObjectNode response = envelope(id);
        response.set("result", result);
        return response;
    }

    /** An error response; {@code id} null means the request id could not be determined (JSON null). */
    static ObjectNode error(JsonNode id, JsonRpcError error) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("code", error.code());
        body.put("message", error.message());
        if (error.data() != null) {
            body.set("data", error.data());
        }
        ObjectNode response = envelope(id);
        response.set("error", body);
        return response;
    }

    private static ObjectNode envelope(JsonNode id) {
        ObjectNode response = Json.MAPPER.createObjectNode();
        response.put("jsonrpc", "2.0");
        response.set("id", id == null ? NullNode.getInstance() : id);
        return response;
    }
}
