package io.keygate.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static io.keygate.gateway.mcp.McpTestFixture.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * {@link JsonRpcMessage#parse}: JSON-RPC envelope rules with the standard codes and generic messages
 * (security.md B1, LG-5), and the parsing limits that keep hostile bodies cheap (B2). The last tests
 * send well-formed messages through the dispatcher for the method-level codes.
 */
class JsonRpcMessageTests {
    private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";

    private static JsonRpcParseResult parse(String json) {
        return JsonRpcMessage.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode rejection(String json, int expectedStatus) {
        JsonRpcParseResult result = parse(json);
        assertThat(result).isInstanceOf(JsonRpcParseResult.Rejected.class);
        McpOutcome.HttpError error = ((JsonRpcParseResult.Rejected) result).toOutcome();
        assertThat(error.status()).isEqualTo(expectedStatus);
        String serialized = Json.write(error.body());
        assertThat(serialized).doesNotContain("Exception", "at java.", "jackson", "StreamReadConstraints");
        assertThat(error.body().get("jsonrpc").asText()).isEqualTo("2.0");
        return error.body();
    }

    private static JsonRpcMessage parsed(String json) {
        JsonRpcParseResult result = parse(json);
        assertThat(result).isInstanceOf(JsonRpcParseResult.Parsed.class);
        return ((JsonRpcParseResult.Parsed) result).message();
    }

    @Test
    void parseWhenValidRequestThenRequestWithIdMethodAndParams() {
        JsonRpcMessage message = parsed("{\"jsonrpc\":\"2.0\",\"id\":\"a-1\",\"method\":\"tools/list\",\"params\":{\"cursor\":\"x\"}}");

        assertThat(message).isInstanceOf(JsonRpcMessage.Request.class);
        JsonRpcMessage.Request request = (JsonRpcMessage.Request) message;
        assertThat(request.id().textValue()).isEqualTo("a-1");
        assertThat(request.method()).isEqualTo("tools/list");
        assertThat(request.params().get("cursor").asText()).isEqualTo("x");
    }

    @Test
    void parseWhenArgumentsHoldDecimalsAndBigIntegersThenValuesKeptExactly() {
        JsonRpcMessage message = parsed("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":"
                + "{\"arguments\":{\"a\":0.1,\"b\":3.141592653589793238462643383279,\"c\":123456789012345678901234567890}}}");

        assertThat(Json.write(message.params().get("arguments")))
                .isEqualTo("{\"a\":0.1,\"b\":3.141592653589793238462643383279,\"c\":123456789012345678901234567890}");
    }

    @Test
    void parseWhenIdMissingThenNotificationWithEmptyParams() {
        JsonRpcMessage message = parsed("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");

        assertThat(message).isInstanceOf(JsonRpcMessage.Notification.class);
        assertThat(message.params().isObject()).isTrue();
        assertThat(message.params().size()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"7", "0", "-3", "9223372036854775807", "\"\"", "\"req-Ω\""})
    void parseWhenIdIsStringOrIntegerThenRequestKeepsId(String id) {
        JsonRpcMessage message = parsed("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"ping\"}");

        assertThat(((JsonRpcMessage.Request) message).id()).isEqualTo(McpTestFixture.json(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{not json", "{\"jsonrpc\":\"2.0\",", "nul", "{\"a\":1} {\"b\":2}", "{'a':1}"})
    void parseWhenBodyIsNotJsonThenParseErrorWithNullId(String body) {
        JsonNode error = rejection(body, 400);

        assertThat(error.get("error").get("code").asInt()).isEqualTo(-32700);
        assertThat(error.has("id")).isTrue();
        assertThat(error.get("id").isNull()).isTrue();
    }

    @Test
    void parseWhenBodyIsEmptyThenParseError() {
        assertThat(rejection("", 400).get("error").get("code").asInt()).isEqualTo(-32700);
        assertThat(rejection("   ", 400).get("error").get("code").asInt()).isEqualTo(-32700);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"id\":1,\"method\":\"ping\"}", "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}",
            "{\"jsonrpc\":2.0,\"id\":1,\"method\":\"ping\"}"})
    void parseWhenJsonrpcMissingOrNotTwoThenInvalidRequestEchoingId(String body) {
        JsonNode error = rejection(body, 400);

        assertThat(error.get("error").get("code").asInt()).isEqualTo(-32600);
        assertThat(error.get("error").get("message").asText()).contains("jsonrpc");
        assertThat(error.get("id").asInt()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "[1]", "true", "1.5", "1e3", "null", "92233720368547758070"})
    void parseWhenIdIsObjectArrayBoolFloatNullOrHugeThenInvalidRequestWithNullId(String id) {
        JsonNode error = rejection("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"ping\"}", 400);

        assertThat(error.get("error").get("code").asInt()).isEqualTo(-32600);
        assertThat(error.get("error").get("message").asText()).contains("id");
        assertThat(error.get("id").isNull()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"a\"", "1", "true", "null"})
    void parseWhenParamsIsNotStructuredThenInvalidRequest(String params) {
        JsonNode error = rejection("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\",\"params\":" + params + "}", 400);

        assertThat(error.get("error").get("code").asInt()).isEqualTo(-32600);
        assertThat(error.get("error").get("message").asText()).contains("params");
        assertThat(error.get("id").asInt()).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"jsonrpc\":\"2.0\",\"id\":1}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"\"}", "\"ping\"", "42"})
    void parseWhenMethodMissingOrNotStringOrNotObjectThenInvalidRequest(String body) {
        assertThat(rejection(body, 400).get("error").get("code").asInt()).isEqualTo(-32600);
    }

    @Test
    void parseWhenBatchArrayThenInvalidRequestNamingBatches() {
        JsonNode error = rejection("[" + PING + "," + PING + "]", 400);

        assertThat(error.get("error").get("code").asInt()).isEqualTo(-32600);
        assertThat(error.get("error").get("message").asText()).contains("batches are not supported");
        assertThat(rejection("[]", 400).get("error").get("code").asInt()).isEqualTo(-32600);
    }

    @Test
    void parseWhenClientSendsResponseThenInvalidRequest() {
        JsonNode error = rejection("{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":{}}", 400);

        assertThat(error.get("error").get("code").asInt()).isEqualTo(-32600);
        assertThat(error.get("error").get("message").asText()).contains("responses are not accepted");
    }

    @Test
    void parseWhenDuplicateKeyThenInvalidRequest() {
        JsonNode error = rejection("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"method\":\"tools/call\"}", 400);

        assertThat(error.get("error").get("code").asInt()).isEqualTo(-32600);
        assertThat(error.get("error").get("message").asText()).contains("duplicate");
    }

    @Test
    void parseWhenNestedTenThousandLevelsThenInvalidRequestWithoutStackOverflow() {
        String deepArrays = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"a\":"
                + "[".repeat(10_000) + "]".repeat(10_000) + "}}";
        String deepObjects = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":"
                + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + "}";

        for (String body : new String[]{deepArrays, deepObjects, "[".repeat(10_000)}) {
            assertThatCode(() -> parse(body)).doesNotThrowAnyException();
            JsonNode error = rejection(body, 400);
            assertThat(error.get("error").get("code").asInt()).isEqualTo(-32600);
            assertThat(error.get("error").get("message").asText()).contains("deeper than 64");
        }
    }

    @Test
    void parseWhenNestingIsExactly64ThenParsedAnd65ThenRejected() {
        // The root object is level 1, params level 2, so 62 more objects reach 64.
        assertThat(parse(nested(62))).isInstanceOf(JsonRpcParseResult.Parsed.class);
        assertThat(rejection(nested(63), 400).get("error").get("code").asInt()).isEqualTo(-32600);
    }

    private static String nested(int levels) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":"
                + "{\"a\":".repeat(levels) + "{}" + "}".repeat(levels) + "}";
    }

    @Test
    void parseWhenBodyIsOneMebibytePlusOneThenTooLarge() {
        byte[] body = sizedRequest(JsonRpcMessage.MAX_BODY_BYTES + 1);

        JsonRpcParseResult result = JsonRpcMessage.parse(body);

        assertThat(result).isInstanceOf(JsonRpcParseResult.TooLarge.class);
        McpOutcome.HttpError error = ((JsonRpcParseResult.TooLarge) result).toOutcome();
        assertThat(error.status()).isEqualTo(413);
        assertThat(error.body().get("error").get("code").asInt()).isEqualTo(-32600);
    }

    @Test
    void parseWhenBodyIsExactlyOneMebibyteThenParsed() {
        byte[] body = sizedRequest(JsonRpcMessage.MAX_BODY_BYTES);

        assertThat(JsonRpcMessage.parse(body)).isInstanceOf(JsonRpcParseResult.Parsed.class);
    }

    /** A valid request padded with one long string to exactly {@code size} bytes. */
    private static byte[] sizedRequest(int size) {
        String head = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"";
        String tail = "\"}}";
        byte[] body = (head + "x".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
        assertThat(body).hasSize(size);
        return body;
    }

    @Test
    void parseWhenObjectHas200000KeysThenRejectedAsTooLarge() {
        assertThat(JsonRpcMessage.parse(manyKeys(200_000))).isInstanceOf(JsonRpcParseResult.TooLarge.class);
    }

    @Test
    void parseWhenObjectHas100000KeysWithinSizeThenParsed() {
        byte[] body = manyKeys(100_000);
        assertThat(body.length).isLessThanOrEqualTo(JsonRpcMessage.MAX_BODY_BYTES);

        JsonRpcMessage message = ((JsonRpcParseResult.Parsed) JsonRpcMessage.parse(body)).message();

        assertThat(message.params().get("arguments").size()).isEqualTo(100_000);
    }

    private static byte[] manyKeys(int keys) {
        StringBuilder json = new StringBuilder("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"arguments\":{");
        for (int i = 0; i < keys; i++) {
            json.append(i == 0 ? "" : ",").append('"').append(Integer.toString(i, 36)).append("\":0");
        }
        return json.append("}}}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void dispatchWhenUnknownMethodThenMethodNotFound() {
        McpTestFixture fixture = new McpTestFixture();
        String session = fixture.initialize(McpProtocolVersions.LATEST);

        McpOutcome outcome = fixture.send(session, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"resources/list\"}");

        assertThat(outcome).isInstanceOf(McpOutcome.Reply.class);
        assertThat(body(outcome).get("error").get("code").asInt()).isEqualTo(-32601);
        assertThat(body(outcome).get("id").asInt()).isEqualTo(5);
    }

    @Test
    void dispatchWhenParamsIsArrayThenInvalidParams() {
        McpTestFixture fixture = new McpTestFixture();
        String session = fixture.initialize(McpProtocolVersions.LATEST);

        McpOutcome outcome = fixture.send(session, "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/list\",\"params\":[1]}");

        assertThat(body(outcome).get("error").get("code").asInt()).isEqualTo(-32602);
        assertThat(body(outcome).get("id").asInt()).isEqualTo(6);
    }

    @Test
    void dispatchWhenNotificationHasUnknownMethodThenAcceptedWithoutResponse() {
        McpTestFixture fixture = new McpTestFixture();
        String session = fixture.initialize(McpProtocolVersions.LATEST);

        McpOutcome outcome = fixture.send(session, "{\"jsonrpc\":\"2.0\",\"method\":\"resources/list\",\"params\":[1]}");

        assertThat(outcome).isInstanceOf(McpOutcome.Accepted.class);
        assertThat(fixture.invoker.calls).isEmpty();
    }
}
