package io.keygate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.keygate.config.KeygateConfig;
import io.keygate.json.Json;
import io.keygate.net.OutboundUrlGuard;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link StreamableHttpTargetTransport} under the MCP Java SDK's client, against a JDK {@link HttpServer}
 * scripted as a Streamable HTTP server: the session id and negotiated protocol version on every request after
 * {@code initialize}, answers as JSON or as an event stream, the outbound header on every request, the
 * session ended with DELETE, and each failure named without the endpoint's query (security.md GW-4: the
 * credential never appears): 401, an unknown session, a JSON-RPC error, a foreign content type, an oversized
 * answer, no answer.
 * The interplay with the SDK's real servers is covered by the gateway integration tests.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class StreamableHttpTargetTransportTests {
    private static final OutboundUrlGuard GUARD = new OutboundUrlGuard(new KeygateConfig.OutboundPolicy(List.of(), false));
    private static final TargetLimits LIMITS = new TargetLimits(Duration.ofSeconds(5), 4096, 10);
    private static final String SESSION = "session-7f3a";
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(Json.MAPPER.copy());
    private HttpServer server;
    private volatile String callAnswer = "sse";
    private URI endpoint;

    private record Recorded(String method, String sessionId, String protocolVersion, String apiKey, String body) {
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/mcp", this::answer);
        server.start();
        endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mcp?key=secret-in-query");
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        var headers = exchange.getRequestHeaders();
        requests.add(new Recorded(exchange.getRequestMethod(), headers.getFirst("Mcp-Session-Id"),
                headers.getFirst("MCP-Protocol-Version"), headers.getFirst("X-Api-Key"), body));
        if (exchange.getRequestMethod().equals("DELETE") || body.contains("\"notifications/initialized\"")) {
            exchange.sendResponseHeaders(202, -1);
            return;
        }
        String id = Json.MAPPER.readTree(body).path("id").toString();
        if (body.contains("\"initialize\"")) {
            exchange.getResponseHeaders().set("Mcp-Session-Id", SESSION);
            send(exchange, 200, "application/json", "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"scripted\",\"version\":\"1\"}}}");
            return;
        }
        String result = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}}";
        switch (callAnswer) {
            case "sse" -> send(exchange, 200, "text/event-stream", "id: 0\ndata:\n\nevent: message\ndata: {\"jsonrpc\":\"2.0\","
                    + "\"method\":\"notifications/progress\",\"params\":{\"progressToken\":1,\"progress\":1}}\n\n"
                    + "data: " + result + "\n\n");
            case "401" -> send(exchange, 401, "application/json", "{\"error\":\"invalid key\"}");
            case "404" -> send(exchange, 404, "text/plain", "no such session");
            case "error" -> send(exchange, 200, "application/json", "{\"jsonrpc\":\"2.0\",\"id\":" + id
                    + ",\"error\":{\"code\":-32602,\"message\":\"Unknown tool: echo\"}}");
            case "html" -> send(exchange, 200, "text/html", "<html>login</html>");
            case "large" -> send(exchange, 200, "application/json", result.replace("hi", "x".repeat(8192)));
            case "slow" -> {
                sleep(3_000);
                send(exchange, 200, "application/json", result);
            }
            default -> throw new IllegalStateException(callAnswer);
        }
    }

    @Test
    void callToolWhenSessionOpenThenSessionIdVersionAndHeaderOnEveryLaterRequestAndEventStreamRead() {
        McpToolCaller caller = new McpToolCaller(GUARD);

        JsonNode result = caller.call(endpoint, Map.of("X-Api-Key", "k-1"), "echo", Json.MAPPER.createObjectNode(), LIMITS);

        assertThat(result.path("content").path(0).path("text").asText()).isEqualTo("hi");
        assertThat(requests).extracting(Recorded::apiKey).containsOnly("k-1");
        assertThat(requests.get(0).sessionId()).isNull();
        assertThat(requests.subList(1, requests.size())).extracting(Recorded::sessionId).containsOnly(SESSION);
        assertThat(requests.subList(1, requests.size())).extracting(Recorded::protocolVersion).containsOnly("2025-06-18");
        assertThat(requests.get(2).body()).contains("\"tools/call\"", "\"echo\"");
    }

    @Test
    void closeWhenSessionOpenThenDeleteWithTheSessionId() {
        McpSyncClient client = McpToolLister.openClient(new StreamableHttpTargetTransport(endpoint, Map.of(), LIMITS,
                mapper), LIMITS.timeout());
        client.initialize();

        client.close();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(requests)
                .anySatisfy(request -> {
                    assertThat(request.method()).isEqualTo("DELETE");
                    assertThat(request.sessionId()).isEqualTo(SESSION);
                }));
    }

    @Test
    void callToolWhenTargetAnswers401ThenRefusedCredentialNamingStatusWithoutQuery() {
        callAnswer = "401";

        assertThatThrownBy(() -> call())
                .isInstanceOfSatisfying(TargetCallException.class, refused ->
                        assertThat(refused.reason()).isEqualTo(TargetCallException.Reason.TARGET_REFUSED_CREDENTIAL))
                .hasMessage("HTTP 401 from " + TargetHttp.withoutQuery(endpoint))
                .message().doesNotContain("secret-in-query");
    }

    @Test
    void callToolWhenAnswerOverTheLimitThenResponseTooLarge() {
        callAnswer = "large";

        assertThatThrownBy(() -> call())
                .isInstanceOfSatisfying(TargetCallException.class, tooLarge ->
                        assertThat(tooLarge.reason()).isEqualTo(TargetCallException.Reason.TARGET_RESPONSE_TOO_LARGE))
                .hasMessageContaining("more than 4 KiB");
    }

    @Test
    void callToolWhenNoAnswerWithinTheTimeoutThenTargetTimeout() {
        callAnswer = "slow";
        TargetLimits quick = new TargetLimits(Duration.ofMillis(500), 4096, 10);

        assertThatThrownBy(() -> new McpToolCaller(GUARD).call(endpoint, Map.of(), "echo",
                Json.MAPPER.createObjectNode(), quick))
                .isInstanceOfSatisfying(TargetCallException.class, slow ->
                        assertThat(slow.reason()).isEqualTo(TargetCallException.Reason.TARGET_TIMEOUT))
                .hasMessageContaining("gave no answer within 500 ms");
    }

    @Test
    void callToolWhenSessionUnknownJsonRpcErrorOrForeignContentTypeThenFailureSaysSo() {
        callAnswer = "404";
        assertThatThrownBy(() -> call()).isInstanceOf(ToolListingException.class)
                .hasMessageContaining("no longer knows this MCP session");

        callAnswer = "error";
        assertThatThrownBy(() -> call()).isInstanceOf(ToolListingException.class)
                .hasMessageContaining("JSON-RPC error -32602 Unknown tool: echo");

        callAnswer = "html";
        assertThatThrownBy(() -> call()).isInstanceOf(ToolListingException.class)
                .hasMessageContaining("Content-Type 'text/html'")
                .message().doesNotContain("secret-in-query");
    }

    private JsonNode call() {
        return new McpToolCaller(GUARD).call(endpoint, Map.of(), "echo", Json.MAPPER.createObjectNode(), LIMITS);
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
