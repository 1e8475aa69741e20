package io.keygate.server.identity;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A token endpoint in front of the real IdP's: it forwards every grant to mock-oauth2-server and
 * records it, can shorten the {@code expires_in} it answers per grant type, and can answer scripted
 * failures (400 {@code invalid_grant}, 503) instead — the faults security.md TV-6 is about.
 */
public final class ScriptedTokenEndpoint implements AutoCloseable {
    private final HttpServer server;
    private final URI upstream;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final List<String> grants = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<int[]> failures = new ConcurrentLinkedQueue<>();
    private final Map<String, Long> expiresIn = new ConcurrentHashMap<>();
    private final List<String> issued = new CopyOnWriteArrayList<>();
    private volatile boolean withholdRefreshToken;

    public ScriptedTokenEndpoint(URI upstream) throws IOException {
        this.upstream = upstream;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
    }

    /** Answers for {@code grantType} will say the access token expires in {@code seconds}. */
    public void expiresIn(String grantType, long seconds) {
        expiresIn.put(grantType, seconds);
    }

    /** The next request gets this status: 400 answers {@code invalid_grant}, others an empty body. */
    public void failNext(int status) {
        failures.add(new int[]{status});
    }

    /** Grant types received so far, in order. */
    public List<String> grants() {
        return List.copyOf(grants);
    }

    /** Refresh answers will carry no new refresh token (RFC 6749 §6 allows that). */
    void withholdRefreshTokenOnRefresh() {
        withholdRefreshToken = true;
    }

    /** Every access, refresh and ID token value it passed on (canaries for the log and database scans). */
    List<String> issuedTokens() {
        return List.copyOf(issued);
    }

    void clear() {
        grants.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String grant = IdentityFixture.query("http://x/?" + body).get("grant_type");
        grants.add(grant);
        int[] failure = failures.poll();
        if (failure != null) {
            byte[] answer = failure[0] == 400 ? "{\"error\":\"invalid_grant\"}".getBytes(StandardCharsets.UTF_8) : new byte[0];
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("Retry-After", "0");
            exchange.sendResponseHeaders(failure[0], answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
            return;
        }
        forward(exchange, body, grant);
    }

    private void forward(HttpExchange exchange, String body, String grant) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(upstream).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/x-www-form-urlencoded");
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String answer = response.body();
            if (response.statusCode() == 200) {
                json.readTree(answer).fields().forEachRemaining(field -> {
                    if (field.getKey().endsWith("_token")) {
                        issued.add(field.getValue().asText());
                    }
                });
            }
            if (response.statusCode() == 200 && (expiresIn.containsKey(grant)
                    || withholdRefreshToken && "refresh_token".equals(grant))) {
                ObjectNode node = (ObjectNode) json.readTree(answer);
                if (expiresIn.containsKey(grant)) {
                    node.put("expires_in", expiresIn.get(grant));
                }
                if (withholdRefreshToken && "refresh_token".equals(grant)) {
                    node.remove("refresh_token");
                }
                answer = node.toString();
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(response.statusCode(), bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.sendResponseHeaders(502, -1);
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
