package io.keygate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.keygate.config.KeygateConfig;
import io.keygate.json.Json;
import io.keygate.net.OutboundUrlGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link LambdaCaller} against an HTTP service shaped like the Lambda Runtime Interface Emulator:
 * answers, the three ways a function error is reported, HTTP errors, and the call's limits.
 */
class LambdaCallerTests {
    private static final String ARN = "arn:aws:lambda:us-east-1:123456789012:function:tools";
    private static final OutboundUrlGuard GUARD = new OutboundUrlGuard(new KeygateConfig.OutboundPolicy(List.of(), false));
    private static final TargetLimits LIMITS = new TargetLimits(Duration.ofSeconds(5), 4096, 10);
    private final List<String> paths = new CopyOnWriteArrayList<>();
    private final CountDownLatch never = new CountDownLatch(1);
    private HttpServer server;
    private volatile Reply reply;

    private record Reply(int status, Map<String, String> headers, String body) {
    }

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            paths.add(exchange.getRequestURI().getPath());
            Reply current = reply;
            if (current == null) {
                await();
            } else {
                byte[] bytes = current.body().getBytes(StandardCharsets.UTF_8);
                current.headers().forEach(exchange.getResponseHeaders()::set);
                exchange.sendResponseHeaders(current.status(), bytes.length);
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
    }

    private void await() {
        try {
            never.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterEach
    void stop() {
        never.countDown();
        server.stop(0);
    }

    private JsonNode call(String base, TargetLimits limits) {
        return new LambdaCaller(GUARD, Map.of(ARN, URI.create(base))).call(new LambdaCaller.Invocation(ARN, "gw-0123456789",
                "ABCDEFGHIJ", "tools", "ping", Json.MAPPER.createObjectNode()), Map.of(), limits);
    }

    private JsonNode call() {
        return call("http://127.0.0.1:" + server.getAddress().getPort() + "/base/", LIMITS);
    }

    private static String text(JsonNode result) {
        return result.path("content").get(0).path("text").asText();
    }

    @Test
    void callWhenFunctionAnswersThenTextIsTheAnswerAndPathIsTheEmulators() {
        reply = new Reply(200, Map.of(), "\"pong\"");

        JsonNode result = call();

        assertThat(result.path("isError").asBoolean()).isFalse();
        assertThat(text(result)).isEqualTo("\"pong\"");
        assertThat(paths).containsExactly("/base/2015-03-31/functions/function/invocations");
    }

    @Test
    void callWhenFunctionErrorReportedByHeaderBodyShapeOrEmulatorErrorTypeThenToolErrorWithoutStackTrace() {
        String error = "{\"errorMessage\":\"division by zero\",\"errorType\":\"ZeroDivisionError\",\"stackTrace\":[\"app.py:3\"]}";
        for (Reply failing : List.of(new Reply(200, Map.of("X-Amz-Function-Error", "Unhandled"), error),
                new Reply(200, Map.of(), error),
                new Reply(502, Map.of("Error-Type", "Runtime.ExitError"), "{\"errorMessage\":\"exited\"}"))) {
            reply = failing;

            JsonNode result = call();

            assertThat(result.path("isError").asBoolean()).isTrue();
            assertThat(text(result)).startsWith("The function failed (").doesNotContain("app.py");
        }
    }

    @Test
    void callWhenAnswerIsAnObjectWithErrorFieldsAmongOthersThenItIsAnAnswer() {
        reply = new Reply(200, Map.of(), "{\"errorType\":\"none\",\"errorMessage\":\"\",\"items\":[]}");

        assertThat(call().path("isError").asBoolean()).isFalse();
    }

    @Test
    void callWhenEndpointAnswersHttpErrorWithoutErrorTypeThenFailsNamingStatus() {
        reply = new Reply(404, Map.of(), "not here");

        assertThatThrownBy(this::call).isInstanceOf(ToolListingException.class).hasMessageContaining("HTTP 404")
                .hasMessageContaining("not here");
    }

    @Test
    void callWhenAnswerLargerThanLimitOrSlowerThanTimeoutThenTargetCallException() {
        reply = new Reply(200, Map.of(), "x".repeat(5000));
        assertThatThrownBy(this::call).isInstanceOf(TargetCallException.class).hasMessageContaining("more than 4 KiB");

        reply = null;
        assertThatThrownBy(() -> call("http://127.0.0.1:" + server.getAddress().getPort(),
                new TargetLimits(Duration.ofMillis(300), 4096, 10)))
                .isInstanceOf(TargetCallException.class).hasMessageContaining("no answer within 300 ms");
    }

    @Test
    void callWhenArnNotMappedThenFailsNamingTheSetting() {
        var caller = new LambdaCaller(GUARD, Map.of());

        assertThatThrownBy(() -> caller.call(new LambdaCaller.Invocation(ARN, "gw", "t", "tools", "ping",
                Json.MAPPER.createObjectNode()), Map.of(), LIMITS))
                .isInstanceOf(ToolListingException.class).hasMessageContaining(ARN).hasMessageContaining("gateway.lambdaEndpoints");
    }

    @Test
    void clientContextWhenDecodedThenCarriesAgentCoreKeys() throws Exception {
        String encoded = LambdaCaller.clientContext(new LambdaCaller.Invocation(ARN, "gw-0123456789", "ABCDEFGHIJ",
                "tools", "ping", Json.MAPPER.createObjectNode()));

        JsonNode custom = Json.MAPPER.readTree(java.util.Base64.getDecoder().decode(encoded)).path("custom");

        assertThat(custom.path("bedrockAgentCoreToolName").asText()).isEqualTo("tools___ping");
        assertThat(custom.path("bedrockAgentCoreGatewayId").asText()).isEqualTo("gw-0123456789");
        assertThat(custom.path("bedrockAgentCoreTargetId").asText()).isEqualTo("ABCDEFGHIJ");
        assertThat(custom.path("bedrockAgentCoreMessageVersion").asText()).isEqualTo("1.0");
    }
}
