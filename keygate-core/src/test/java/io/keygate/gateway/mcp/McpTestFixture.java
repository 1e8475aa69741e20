package io.keygate.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.json.Json;
import io.keygate.store.InMemoryResourceStore;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A dispatcher over a real {@link ResourceMcpSessionStore} on an in-memory store, with a fake
 * {@link ToolCatalog} and {@link ToolInvoker} (the real ones belong to the gateway), and helpers that
 * go through the same parse-then-dispatch path as the HTTP layer.
 */
final class McpTestFixture {
    static final String GATEWAY = "gw-test";
    static final String ALICE = "https://idp.example|alice";
    static final String BOB = "https://idp.example|bob";
    static final String URL_CAPABILITY = "{\"elicitation\":{\"form\":{},\"url\":{}}}";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-04T05:06:07Z"), ZoneOffset.UTC);

    final InMemoryResourceStore resources = new InMemoryResourceStore();
    final ResourceMcpSessionStore sessions = new ResourceMcpSessionStore(resources, CLOCK);
    final FakeCatalog catalog = new FakeCatalog();
    final FakeInvoker invoker = new FakeInvoker();
    final McpDispatcher dispatcher = new McpDispatcher(sessions, catalog, invoker,
            new McpServerInfo("keygate-test", "9.9.9", "Use the tools."));

    McpOutcome send(String principal, String sessionId, String versionHeader, String json) {
        JsonRpcParseResult parsed = JsonRpcMessage.parse(json.getBytes(StandardCharsets.UTF_8));
        if (parsed instanceof JsonRpcParseResult.Rejected rejected) {
            return rejected.toOutcome();
        }
        JsonRpcMessage message = ((JsonRpcParseResult.Parsed) parsed).message();
        return dispatcher.dispatch(new McpCall(GATEWAY, principal, sessionId, versionHeader, message));
    }

    /** Sends a request on Alice's session without an MCP-Protocol-Version header. */
    McpOutcome send(String sessionId, String json) {
        return send(ALICE, sessionId, null, json);
    }

    McpOutcome.Reply initializeReply(String principal, String version, String capabilities) {
        return (McpOutcome.Reply) send(principal, null, null, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\","
                + "\"params\":{\"protocolVersion\":\"" + version + "\",\"capabilities\":" + capabilities
                + ",\"clientInfo\":{\"name\":\"test-client\",\"version\":\"1.0\"}}}");
    }

    /** Opens a session and returns its id. */
    String initialize(String principal, String version, String capabilities) {
        return initializeReply(principal, version, capabilities).newSessionId();
    }

    String initialize(String version) {
        return initialize(ALICE, version, "{}");
    }

    static JsonNode body(McpOutcome outcome) {
        if (outcome instanceof McpOutcome.Reply reply) {
            return reply.response();
        }
        return ((McpOutcome.HttpError) outcome).body();
    }

    static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ToolDefinition tool(String name) {
        return new ToolDefinition(name, "Title of " + name, "Does " + name, json("{\"type\":\"object\"}"),
                json("{\"type\":\"object\"}"), json("{\"readOnlyHint\":true}"));
    }

    /** Serves whatever list the test puts in {@code tools}. */
    static final class FakeCatalog implements ToolCatalog {
        final List<ToolDefinition> tools = new ArrayList<>();

        @Override
        public List<ToolDefinition> list(String gatewayId, String principal) {
            return List.copyOf(tools);
        }
    }

    /** Records each call and answers with {@code outcome}. */
    static final class FakeInvoker implements ToolInvoker {
        record Call(String gatewayId, McpSession session, String toolName, JsonNode arguments, JsonNode meta) {
        }

        final List<Call> calls = new ArrayList<>();
        Supplier<ToolCallOutcome> outcome = () -> new ToolCallOutcome.Result(json("{\"content\":[]}"));

        @Override
        public ToolCallOutcome call(String gatewayId, McpSession session, String toolName, JsonNode arguments,
                                    JsonNode meta) {
            calls.add(new Call(gatewayId, session, toolName, arguments, meta));
            return outcome.get();
        }
    }
}
