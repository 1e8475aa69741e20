package io.keygate.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.keygate.gateway.mcp.McpTestFixture.ALICE;
import static io.keygate.gateway.mcp.McpTestFixture.BOB;
import static io.keygate.gateway.mcp.McpTestFixture.GATEWAY;
import static io.keygate.gateway.mcp.McpTestFixture.URL_CAPABILITY;
import static io.keygate.gateway.mcp.McpTestFixture.body;
import static io.keygate.gateway.mcp.McpTestFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link McpDispatcher}: initialize and version negotiation, the session and protocol-version header
 * rules (security.md GW-4, B11), tools/list paging, tools/call routing and rendering of every
 * {@link ToolCallOutcome}, and the generic -32603 (LG-5).
 */
class McpDispatcherTests {
    private static final String LIST = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}";
    private static final String PING = "{\"jsonrpc\":\"2.0\",\"id\":\"p\",\"method\":\"ping\"}";

    private final McpTestFixture fixture = new McpTestFixture();

    private static String call(String name, String arguments) {
        return "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"" + name
                + "\",\"arguments\":" + arguments + "}}";
    }

    private static int errorCode(McpOutcome outcome) {
        return body(outcome).get("error").get("code").asInt();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-03-26", "2025-06-18", "2025-11-25"})
    void initializeWhenVersionSupportedThenSameVersionAnsweredAndStored(String version) {
        McpOutcome.Reply reply = fixture.initializeReply(ALICE, version, "{}");

        assertThat(reply.response().get("id").asInt()).isZero();
        assertThat(reply.response().get("result").get("protocolVersion").asText()).isEqualTo(version);
        assertThat(fixture.sessions.find(reply.newSessionId(), GATEWAY, ALICE).orElseThrow().protocolVersion())
                .isEqualTo(version);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-11-05", "2026-07-28", "banana"})
    void initializeWhenVersionUnknownThenLatestAnswered(String version) {
        McpOutcome.Reply reply = fixture.initializeReply(ALICE, version, "{}");

        assertThat(reply.response().get("result").get("protocolVersion").asText()).isEqualTo("2025-11-25");
    }

    @Test
    void initializeWhenSuccessfulThenCapabilitiesServerInfoAndSessionIdReturned() {
        McpOutcome.Reply reply = fixture.initializeReply(ALICE, "2025-11-25", "{}");

        JsonNode result = reply.response().get("result");
        assertThat(result.get("capabilities")).isEqualTo(json("{\"tools\":{\"listChanged\":false}}"));
        assertThat(result.get("serverInfo")).isEqualTo(json("{\"name\":\"keygate-test\",\"version\":\"9.9.9\"}"));
        assertThat(result.get("instructions").asText()).isEqualTo("Use the tools.");
        assertThat(reply.newSessionId()).matches("[A-Za-z0-9_-]{43}");
        McpSession session = fixture.sessions.find(reply.newSessionId(), GATEWAY, ALICE).orElseThrow();
        assertThat(session.principal()).isEqualTo(ALICE);
        assertThat(session.gatewayId()).isEqualTo(GATEWAY);
    }

    @Test
    void initializeWhenCapabilitiesDeclareUrlThenRecordedOtherwiseNot() {
        assertThat(sessionOf(URL_CAPABILITY).clientSupportsUrlElicitation()).isTrue();
        assertThat(sessionOf("{\"elicitation\":{}}").clientSupportsUrlElicitation()).isFalse();
        assertThat(sessionOf("{\"elicitation\":{\"form\":{}}}").clientSupportsUrlElicitation()).isFalse();
        assertThat(sessionOf("{\"elicitation\":{\"url\":true}}").clientSupportsUrlElicitation()).isFalse();
        assertThat(sessionOf("{}").clientSupportsUrlElicitation()).isFalse();
    }

    private McpSession sessionOf(String capabilities) {
        String id = fixture.initialize(ALICE, "2025-11-25", capabilities);
        return fixture.sessions.find(id, GATEWAY, ALICE).orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"protocolVersion\":7}", "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":[]}"})
    void initializeWhenParamsInvalidThenInvalidParamsAndNoSession(String params) {
        McpOutcome outcome = fixture.send(ALICE, null, null,
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":" + params + "}");

        assertThat(outcome).isInstanceOf(McpOutcome.Reply.class);
        assertThat(errorCode(outcome)).isEqualTo(-32602);
        assertThat(((McpOutcome.Reply) outcome).newSessionId()).isNull();
        assertThat(fixture.resources.list(ResourceMcpSessionStore.KIND, null, 10)).isEmpty();
    }

    @Test
    void requestWhenSessionHeaderMissingThen400AskingForInitialize() {
        fixture.initialize("2025-11-25");

        McpOutcome outcome = fixture.send(null, LIST);

        assertThat(outcome).isInstanceOf(McpOutcome.HttpError.class);
        assertThat(((McpOutcome.HttpError) outcome).status()).isEqualTo(400);
        assertThat(errorCode(outcome)).isEqualTo(-32600);
        assertThat(body(outcome).get("error").get("message").asText())
                .isEqualTo("Mcp-Session-Id header required: send initialize first");
        assertThat(body(outcome).get("id").asInt()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "tab\there", "nul\u0000", "caf\u00e9", "line\nbreak"})
    void requestWhenSessionIdHasCharactersOutsideVisibleAsciiThen400(String sessionId) {
        McpOutcome outcome = fixture.send(sessionId, LIST);

        assertThat(((McpOutcome.HttpError) outcome).status()).isEqualTo(400);
    }

    @Test
    void requestWhenSessionIdLongerThanLimitThen400() {
        McpOutcome outcome = fixture.send("a".repeat(McpSessionIds.MAX_LENGTH + 1), LIST);

        assertThat(((McpOutcome.HttpError) outcome).status()).isEqualTo(400);
    }

    @Test
    void requestWhenSessionUnknownThen404() {
        McpOutcome outcome = fixture.send(McpSessionIds.generate(), LIST);

        assertThat(((McpOutcome.HttpError) outcome).status()).isEqualTo(404);
        assertThat(fixture.invoker.calls).isEmpty();
    }

    @Test
    void requestWhenSessionBelongsToAnotherPrincipalThen404() {
        String alices = fixture.initialize(ALICE, "2025-11-25", URL_CAPABILITY);

        McpOutcome outcome = fixture.send(BOB, alices, null, call("weather", "{}"));

        assertThat(((McpOutcome.HttpError) outcome).status()).isEqualTo(404);
        assertThat(fixture.invoker.calls).isEmpty();
        assertThat(fixture.send(ALICE, alices, null, PING)).isInstanceOf(McpOutcome.Reply.class);
    }

    @Test
    void requestWhenSessionBelongsToAnotherGatewayThen404() {
        String alices = fixture.initialize("2025-11-25");
        JsonRpcMessage ping = ((JsonRpcParseResult.Parsed) JsonRpcMessage.parse(PING.getBytes())).message();

        McpOutcome outcome = fixture.dispatcher.dispatch(new McpCall("gw-other", ALICE, alices, null, ping));

        assertThat(((McpOutcome.HttpError) outcome).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025-03-26", "2025-11-25", "1999-01-01", ""})
    void requestWhenProtocolVersionHeaderDiffersFromNegotiatedThen400NamingSupported(String header) {
        String session = fixture.initialize("2025-06-18");

        McpOutcome outcome = fixture.send(ALICE, session, header, PING);

        assertThat(((McpOutcome.HttpError) outcome).status()).isEqualTo(400);
        assertThat(body(outcome).get("error").get("message").asText())
                .contains("2025-06-18").contains("2025-03-26, 2025-06-18, 2025-11-25");
    }

    @Test
    void requestWhenProtocolVersionHeaderMatchesOrAbsentThenAnswered() {
        String session = fixture.initialize("2025-06-18");

        assertThat(fixture.send(ALICE, session, "2025-06-18", PING)).isInstanceOf(McpOutcome.Reply.class);
        assertThat(fixture.send(ALICE, session, null, PING)).isInstanceOf(McpOutcome.Reply.class);
    }

    @Test
    void pingWhenSessionValidThenEmptyResultWithSameId() {
        String session = fixture.initialize("2025-11-25");

        JsonNode response = body(fixture.send(session, PING));

        assertThat(response).isEqualTo(json("{\"jsonrpc\":\"2.0\",\"id\":\"p\",\"result\":{}}"));
    }

    @Test
    void notificationsInitializedWhenSessionValidThenAccepted() {
        String session = fixture.initialize("2025-11-25");

        McpOutcome outcome = fixture.send(session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");

        assertThat(outcome).isInstanceOf(McpOutcome.Accepted.class);
    }

    @Test
    void notificationWhenSessionMissingThen400WithNullId() {
        McpOutcome outcome = fixture.send(null, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");

        assertThat(((McpOutcome.HttpError) outcome).status()).isEqualTo(400);
        assertThat(body(outcome).get("id").isNull()).isTrue();
    }

    @Test
    void toolsListWhen250ToolsThenThreePagesOfUniqueNamesLastWithoutCursor() {
        for (int i = 0; i < 250; i++) {
            fixture.catalog.tools.add(McpTestFixture.tool("target___tool" + i));
        }
        String session = fixture.initialize("2025-11-25");
        Set<String> names = new HashSet<>();
        List<Integer> pageSizes = new java.util.ArrayList<>();
        String cursor = null;
        do {
            String params = cursor == null ? "{}" : "{\"cursor\":\"" + cursor + "\"}";
            JsonNode result = body(fixture.send(session,
                    "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/list\",\"params\":" + params + "}")).get("result");
            result.get("tools").forEach(tool -> names.add(tool.get("name").asText()));
            pageSizes.add(result.get("tools").size());
            cursor = result.has("nextCursor") ? result.get("nextCursor").asText() : null;
        } while (cursor != null && pageSizes.size() < 10);

        assertThat(pageSizes).containsExactly(100, 100, 50);
        assertThat(names).hasSize(250).contains("target___tool0", "target___tool249");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"!!!\"", "\"LTE\"", "\"YWJj\"", "\"MTIzNDU2Nzg5MDEyMzQ1Njc4OTA\"", "5"})
    void toolsListWhenCursorInvalidThenInvalidParams(String cursor) {
        String session = fixture.initialize("2025-11-25");

        McpOutcome outcome = fixture.send(session,
                "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/list\",\"params\":{\"cursor\":" + cursor + "}}");

        assertThat(outcome).isInstanceOf(McpOutcome.Reply.class);
        assertThat(errorCode(outcome)).isEqualTo(-32602);
    }

    @Test
    void toolsListWhenCursorPastEndThenEmptyLastPage() {
        fixture.catalog.tools.add(McpTestFixture.tool("only"));
        String session = fixture.initialize("2025-11-25");

        JsonNode result = body(fixture.send(session, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/list\","
                + "\"params\":{\"cursor\":\"" + ToolsListHandler.encodeCursor(200) + "\"}}")).get("result");

        assertThat(result.get("tools").size()).isZero();
        assertThat(result.has("nextCursor")).isFalse();
    }

    @Test
    void toolsListWhenSessionOn20250326ThenTitleAndOutputSchemaLeftOut() {
        fixture.catalog.tools.add(McpTestFixture.tool("t"));

        JsonNode old = body(fixture.send(fixture.initialize("2025-03-26"), LIST)).get("result").get("tools").get(0);
        JsonNode recent = body(fixture.send(fixture.initialize("2025-06-18"), LIST)).get("result").get("tools").get(0);

        assertThat(old.has("title")).isFalse();
        assertThat(old.has("outputSchema")).isFalse();
        assertThat(old.get("annotations")).isEqualTo(json("{\"readOnlyHint\":true}"));
        assertThat(recent.get("title").asText()).isEqualTo("Title of t");
        assertThat(recent.get("outputSchema")).isEqualTo(json("{\"type\":\"object\"}"));
        assertThat(recent.get("inputSchema")).isEqualTo(json("{\"type\":\"object\"}"));
    }

    @Test
    void toolsCallWhenCalledThenInvokerGetsGatewaySessionNameArgumentsAndMeta() {
        String session = fixture.initialize("2025-11-25");

        fixture.send(session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"t___x\","
                + "\"arguments\":{\"city\":\"Oslo\"},\"_meta\":{\"progressToken\":1}}}");

        assertThat(fixture.invoker.calls).hasSize(1);
        McpTestFixture.FakeInvoker.Call call = fixture.invoker.calls.get(0);
        assertThat(call.gatewayId()).isEqualTo(GATEWAY);
        assertThat(call.session().sessionId()).isEqualTo(session);
        assertThat(call.session().principal()).isEqualTo(ALICE);
        assertThat(call.toolName()).isEqualTo("t___x");
        assertThat(call.arguments()).isEqualTo(json("{\"city\":\"Oslo\"}"));
        assertThat(call.meta()).isEqualTo(json("{\"progressToken\":1}"));
    }

    @Test
    void toolsCallWhenArgumentsAndMetaAbsentThenInvokerGetsEmptyObjects() {
        String session = fixture.initialize("2025-11-25");

        fixture.send(session, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"t\"}}");

        assertThat(fixture.invoker.calls.get(0).arguments()).isEqualTo(json("{}"));
        assertThat(fixture.invoker.calls.get(0).meta()).isEqualTo(json("{}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"arguments\":{}}", "{\"name\":\"\"}", "{\"name\":5}", "{\"name\":\"t\",\"arguments\":[1]}",
            "{\"name\":\"t\",\"_meta\":\"x\"}"})
    void toolsCallWhenParamsInvalidThenInvalidParamsAndInvokerNotCalled(String params) {
        String session = fixture.initialize("2025-11-25");

        McpOutcome outcome = fixture.send(session,
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":" + params + "}");

        assertThat(errorCode(outcome)).isEqualTo(-32602);
        assertThat(fixture.invoker.calls).isEmpty();
    }

    @Test
    void toolsCallWhenResultThenPassedThroughUnchanged() {
        JsonNode result = json("{\"content\":[{\"type\":\"text\",\"text\":\"sunny\"}],\"structuredContent\":{\"t\":21}}");
        fixture.invoker.outcome = () -> new ToolCallOutcome.Result(result);
        String session = fixture.initialize("2025-11-25");

        JsonNode response = body(fixture.send(session, call("weather", "{}")));

        assertThat(response.get("id").asInt()).isEqualTo(3);
        assertThat(response.get("result")).isEqualTo(result);
    }

    @Test
    void toolsCallWhenFailureThenIsErrorResultWithMessage() {
        fixture.invoker.outcome = () -> new ToolCallOutcome.Failure("Target timed out");
        String session = fixture.initialize("2025-11-25");

        JsonNode result = body(fixture.send(session, call("weather", "{}"))).get("result");

        assertThat(result).isEqualTo(json("{\"content\":[{\"type\":\"text\",\"text\":\"Target timed out\"}],\"isError\":true}"));
    }

    @Test
    void toolsCallWhenUnknownToolThenInvalidParamsNamingTool() {
        fixture.invoker.outcome = ToolCallOutcome.UnknownTool::new;
        String session = fixture.initialize("2025-11-25");

        McpOutcome outcome = fixture.send(session, call("nope___nothing", "{}"));

        assertThat(errorCode(outcome)).isEqualTo(-32602);
        assertThat(body(outcome).get("error").get("message").asText()).isEqualTo("Unknown tool: nope___nothing");
    }

    private static final ToolCallOutcome.UrlElicitationRequired CONSENT = new ToolCallOutcome.UrlElicitationRequired(
            "el-42", "https://keygate.example/authorize?request_uri=urn%3Ax", "Sign in to GitHub");

    @Test
    void toolsCallWhenUrlElicitationRequiredAndClientDeclaredUrlOnLatestThenError32042WithData() {
        fixture.invoker.outcome = () -> CONSENT;
        String session = fixture.initialize(ALICE, "2025-11-25", URL_CAPABILITY);

        McpOutcome outcome = fixture.send(session, call("github___me", "{}"));

        assertThat(outcome).isInstanceOf(McpOutcome.Reply.class);
        JsonNode error = body(outcome).get("error");
        assertThat(error.get("code").asInt()).isEqualTo(-32042);
        assertThat(error.get("message").asText()).isEqualTo("This tool needs your authorization");
        assertThat(error.get("data")).isEqualTo(json("{\"elicitations\":[{\"mode\":\"url\",\"elicitationId\":\"el-42\","
                + "\"url\":\"https://keygate.example/authorize?request_uri=urn%3Ax\",\"message\":\"Sign in to GitHub\"}]}"));
        assertThat(Json.write(body(outcome))).containsOnlyOnce("\"mode\"");
        assertThat(body(outcome).has("result")).isFalse();
    }

    @Test
    void toolsCallWhenUrlElicitationRequiredOnOlderProtocolThenIsErrorResultWithLinkAndVersionHint() {
        fixture.invoker.outcome = () -> CONSENT;
        String session = fixture.initialize(ALICE, "2025-06-18", URL_CAPABILITY);

        JsonNode result = body(fixture.send(session, call("github___me", "{}"))).get("result");

        assertThat(result.get("isError").asBoolean()).isTrue();
        String text = result.get("content").get(0).get("text").asText();
        assertThat(result.get("content").get(0).get("type").asText()).isEqualTo("text");
        assertThat(text).contains("Sign in to GitHub", CONSENT.url(), "2025-11-25", "2025-06-18");
    }

    @Test
    void toolsCallWhenUrlElicitationRequiredOnLatestWithoutUrlCapabilityThenIsErrorResultWithLink() {
        fixture.invoker.outcome = () -> CONSENT;
        String session = fixture.initialize(ALICE, "2025-11-25", "{\"elicitation\":{\"form\":{}}}");

        JsonNode response = body(fixture.send(session, call("github___me", "{}")));

        assertThat(response.has("error")).isFalse();
        JsonNode result = response.get("result");
        assertThat(result.get("isError").asBoolean()).isTrue();
        assertThat(result.get("content").get(0).get("text").asText())
                .contains("Sign in to GitHub", CONSENT.url()).doesNotContain("protocol");
    }

    @Test
    void toolsCallWhenInvokerThrowsThenBareInternalErrorWithoutDetail() {
        fixture.invoker.outcome = () -> {
            throw new RuntimeException("secret-value");
        };
        String session = fixture.initialize("2025-11-25");

        McpOutcome outcome = fixture.send(session, call("weather", "{\"password\":\"hunter2\"}"));

        assertThat(outcome).isInstanceOf(McpOutcome.Reply.class);
        assertThat(body(outcome)).isEqualTo(json(
                "{\"jsonrpc\":\"2.0\",\"id\":3,\"error\":{\"code\":-32603,\"message\":\"Internal error\"}}"));
        assertThat(Json.write(body(outcome))).doesNotContain("secret-value", "hunter2", "Exception", "at java.");
    }

    @Test
    void toolsCallWhenInvokerReturnsNullThenInternalError() {
        fixture.invoker.outcome = () -> null;
        String session = fixture.initialize("2025-11-25");

        assertThat(errorCode(fixture.send(session, call("weather", "{}")))).isEqualTo(-32603);
    }

    @Test
    void dispatchWhenSessionStoreFailsThenInternalErrorForRequestsAnd500ForNotifications() {
        McpDispatcher dispatcher = new McpDispatcher(new FailingSessionStore(), fixture.catalog, fixture.invoker,
                new McpServerInfo("k", "1", null));
        JsonRpcMessage request = new JsonRpcMessage.Request(json("1"), "ping", json("{}"));
        JsonRpcMessage notification = new JsonRpcMessage.Notification("notifications/initialized", json("{}"));

        McpOutcome requestOutcome = dispatcher.dispatch(new McpCall(GATEWAY, ALICE, "sid", null, request));
        McpOutcome notificationOutcome = dispatcher.dispatch(new McpCall(GATEWAY, ALICE, "sid", null, notification));

        assertThat(errorCode(requestOutcome)).isEqualTo(-32603);
        assertThat(((McpOutcome.HttpError) notificationOutcome).status()).isEqualTo(500);
        assertThat(Json.write(body(notificationOutcome))).doesNotContain("store-down");
    }

    @Test
    void requestWhenSessionOpenedThroughOtherNodeThenAnswered() {
        String session = fixture.initialize("2025-11-25");
        McpDispatcher otherNode = new McpDispatcher(new ResourceMcpSessionStore(fixture.resources, McpTestFixture.CLOCK),
                fixture.catalog, fixture.invoker, new McpServerInfo("k", "1", null));
        JsonRpcMessage ping = new JsonRpcMessage.Request(json("1"), "ping", json("{}"));

        McpOutcome outcome = otherNode.dispatch(new McpCall(GATEWAY, ALICE, session, "2025-11-25", ping));

        assertThat(body(outcome).get("result")).isEqualTo(json("{}"));
    }

    /** A store that is down. */
    private static final class FailingSessionStore implements McpSessionStore {
        @Override
        public McpSession create(String gatewayId, String principal, String protocolVersion, boolean url) {
            throw new IllegalStateException("store-down");
        }

        @Override
        public Optional<McpSession> find(String sessionId, String gatewayId, String principal) {
            throw new IllegalStateException("store-down");
        }

        @Override
        public McpSession touch(McpSession session) {
            throw new IllegalStateException("store-down");
        }

        @Override
        public boolean delete(String sessionId, String gatewayId, String principal) {
            throw new IllegalStateException("store-down");
        }
    }
}
