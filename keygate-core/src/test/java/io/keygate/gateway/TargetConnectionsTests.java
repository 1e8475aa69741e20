package io.keygate.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import no.nav.security.mock.oauth2.http.Ssl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link TargetConnections}: the limits hold for the whole exchange, connections are reused, nothing is retried. */
class TargetConnectionsTests {
    private static final TargetLimits LIMITS = new TargetLimits(Duration.ofSeconds(5), 4096, 10);
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Integer> clientPorts = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private URI base;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/ok", exchange -> send(exchange, 200, "{\"ok\":true}"));
        server.createContext("/large", exchange -> send(exchange, 200, "x".repeat(8192)));
        server.createContext("/exact", exchange -> send(exchange, 200, "x".repeat(4096)));
        server.createContext("/chunked", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 0); // no Content-Length: chunked
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("x".repeat(4096).getBytes(StandardCharsets.UTF_8));
            }
        });
        server.createContext("/redirect", exchange -> {
            exchange.getResponseHeaders().set("Location", base.resolve("/ok").toString());
            send(exchange, 302, "");
        });
        server.createContext("/dribble", this::dribble);
        server.createContext("/endless", this::endless);
        server.createContext("/hang-up", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            exchange.close(); // no status line at all
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        executor.shutdownNow();
    }

    @Test
    void exchangeWhenAnswerComesInPromptlyThenConnectionIsReused() {
        TargetConnections.Answer first = post("/ok", LIMITS);
        TargetConnections.Answer second = post("/ok", LIMITS);

        assertThat(new String(first.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.header("content-type")).isEqualTo("application/json");
        assertThat(clientPorts).hasSize(2).containsOnly(clientPorts.get(0));
    }

    @Test
    void exchangeWhenBodyTricklesPastTheTimeoutThenTargetTimeout() {
        // each byte arrives well within any per-read timeout; only a bound on the whole exchange stops it
        TargetLimits quick = new TargetLimits(Duration.ofMillis(700), 4096, 10);

        assertThatThrownBy(() -> post("/dribble", quick))
                .isInstanceOfSatisfying(TargetCallException.class, slow ->
                        assertThat(slow.reason()).isEqualTo(TargetCallException.Reason.TARGET_TIMEOUT))
                .hasMessage(base + "/dribble gave no answer within 700 ms");
    }

    @Test
    void exchangeWhenAnswerOverTheLimitThenNoBodyAndTheNextExchangeStillWorks() {
        TargetConnections.Answer large = post("/large", LIMITS);
        TargetConnections.Answer next = post("/ok", LIMITS);

        assertThat(large.status()).isEqualTo(200);
        assertThat(large.body()).isNull();
        assertThat(next.body()).isNotNull();
    }

    @Test
    void exchangeWhenAnswerIsExactlyTheLimitThenTheWholeBodyWithOrWithoutContentLength() {
        // a declared length is read into an array of that size, an undeclared one up to the limit and one byte more
        assertThat(post("/exact", LIMITS).body()).hasSize(4096);
        assertThat(post("/chunked", LIMITS).body()).hasSize(4096);
        assertThat(post("/ok", LIMITS).body()).isNotNull();
    }

    @Test
    void readAtMostWhenLengthsAreDeclaredRightWrongOrNotAtAllThenEveryByteUpToTheMost() throws IOException {
        byte[] body = "x".repeat(3000).getBytes(StandardCharsets.UTF_8);

        assertThat(TargetConnections.readAtMost(new ByteArrayInputStream(body), 4097, 3000)).isEqualTo(body);
        assertThat(TargetConnections.readAtMost(new ByteArrayInputStream(body), 4097, 10)).isEqualTo(body);
        assertThat(TargetConnections.readAtMost(new ByteArrayInputStream(body), 4097, -1)).isEqualTo(body);
        assertThat(TargetConnections.readAtMost(new ByteArrayInputStream(body), 2001, -1)).hasSize(2001);
        assertThat(TargetConnections.readAtMost(new ByteArrayInputStream(body), 2001, 3000)).hasSize(2001);
        assertThat(TargetConnections.readAtMost(new ByteArrayInputStream(new byte[0]), 4097, 0)).isEmpty();
    }

    @Test
    void exchangeWhenAnswerNeverEndsThenCutOffAtTheLimitNotReadToTheEnd() {
        // the answer never ends: only cutting it off at the size limit answers (reading on would end in the timeout)
        TargetConnections.Answer endless = post("/endless", LIMITS);

        assertThat(endless.status()).isEqualTo(200);
        assertThat(endless.body()).isNull();
        assertThat(post("/ok", LIMITS).body()).isNotNull();
    }

    @Test
    void exchangeWhenTheTargetIsHttpsThenTheHandshakeChecksItsCertificate() throws IOException {
        // a self-signed certificate the JVM does not trust: refused in the handshake, so TLS was spoken
        HttpsServer tls = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tls.setHttpsConfigurator(new HttpsConfigurator(new Ssl().sslContext()));
        tls.createContext("/ok", exchange -> send(exchange, 200, "{\"ok\":true}"));
        tls.start();
        try {
            URI https = URI.create("https://localhost:" + tls.getAddress().getPort() + "/ok");

            assertThatThrownBy(() -> TargetConnections.exchange("POST", https, Map.of(), new byte[0], https.toString(), LIMITS))
                    .isInstanceOf(ToolListingException.class)
                    .hasMessageContaining("certification path");
            assertThat(clientPorts).isEmpty();
        } finally {
            tls.stop(0);
        }
    }

    @Test
    void exchangeWhenTargetRedirectsThenTheRedirectIsTheAnswer() {
        TargetConnections.Answer answer = post("/redirect", LIMITS);

        assertThat(answer.status()).isEqualTo(302);
        assertThat(clientPorts).hasSize(1);
    }

    @Test
    void exchangeWhenTargetHangsUpThenFailureAndNoRetry() {
        assertThatThrownBy(() -> post("/hang-up", LIMITS))
                .isInstanceOf(ToolListingException.class)
                .hasMessageStartingWith("the call to " + base + "/hang-up failed: ");
        assertThat(clientPorts).hasSize(1); // a tool call may have had effects: never sent twice
    }

    private TargetConnections.Answer post(String path, TargetLimits limits) {
        return TargetConnections.exchange("POST", base.resolve(path), Map.of("X-Api-Key", "k"),
                "{}".getBytes(StandardCharsets.UTF_8), base + path, limits);
    }

    private void send(HttpExchange exchange, int status, String body) throws IOException {
        clientPorts.add(exchange.getRemoteAddress().getPort());
        exchange.getRequestBody().readAllBytes();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private void endless(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        byte[] chunk = new byte[16 * 1024];
        java.util.Arrays.fill(chunk, (byte) ' ');
        try (OutputStream out = exchange.getResponseBody()) {
            while (!Thread.currentThread().isInterrupted()) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException stopped) {
            // the client cut it off, as it should
        }
    }

    private void dribble(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < 40; i++) {
                out.write(' ');
                out.flush();
                Thread.sleep(100);
            }
        } catch (InterruptedException | IOException stopped) {
            // the client went away, as it should
        }
    }
}
