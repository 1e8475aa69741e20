package io.keygate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The IdP's token endpoint as Keygate sees it in the identity scenarios: every grant is forwarded to
 * mock-oauth2-server's real token endpoint and counted by grant type; the {@code expires_in} of code
 * grants can be shortened, so the vault holds tokens that are all due for refresh at once (L3).
 */
final class BenchTokenEndpoint implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final URI upstream;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, AtomicLong> grants = new ConcurrentHashMap<>();
    private volatile long codeGrantExpiresIn = -1;

    BenchTokenEndpoint(URI upstream) throws IOException {
        this.upstream = upstream;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(16, runnable -> {
            Thread thread = new Thread(runnable, "bench-token-endpoint");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
    }

    /** Tokens from code grants say they expire in {@code seconds} (negative: as the IdP says). */
    void codeGrantExpiresIn(long seconds) {
        codeGrantExpiresIn = seconds;
    }

    /** How many grants of this type arrived so far. */
    long grants(String grantType) {
        return grants.getOrDefault(grantType, new AtomicLong()).get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String grant = grantType(body);
            grants.computeIfAbsent(grant, unused -> new AtomicLong()).incrementAndGet();
            HttpRequest.Builder request = HttpRequest.newBuilder(upstream).POST(HttpRequest.BodyPublishers.ofString(body))
                    .header("Content-Type", "application/x-www-form-urlencoded");
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String answer = response.body();
            if (response.statusCode() == 200 && "authorization_code".equals(grant) && codeGrantExpiresIn >= 0) {
                ObjectNode tokens = (ObjectNode) JSON.readTree(answer);
                tokens.put("expires_in", codeGrantExpiresIn);
                answer = tokens.toString();
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(response.statusCode(), bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static String grantType(String form) {
        for (String pair : form.split("&")) {
            if (pair.startsWith("grant_type=")) {
                return URLDecoder.decode(pair.substring("grant_type=".length()), StandardCharsets.UTF_8);
            }
        }
        return "none";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
