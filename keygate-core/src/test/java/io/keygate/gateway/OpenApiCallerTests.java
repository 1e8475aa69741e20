package io.keygate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import io.keygate.config.KeygateConfig;
import io.keygate.json.Json;
import io.keygate.net.OutboundUrlGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
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

/**
 * {@link OpenApiCaller} against a JDK {@link HttpServer} that records what arrives: path parameters as
 * one percent-encoded segment each (security.md B9), query, header and body arguments, argument
 * errors without a request, target statuses as tool errors, the 1 MiB limit, the timeout, the
 * credential never echoed back, and the outbound URL policy before any connection (GW-8).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OpenApiCallerTests {
    private static final OutboundUrlGuard GUARD = new OutboundUrlGuard(new KeygateConfig.OutboundPolicy(List.of(), false));
    private static final TargetLimits LIMITS = new TargetLimits(Duration.ofSeconds(5), 64 * 1024, 10);
    private static final String DOCUMENT = """
            {"openapi":"3.0.3","info":{"title":"Pets","version":"1"},"servers":[{"url":"%s/v1"}],
             "paths":{
              "/pets":{
               "get":{"operationId":"listPets","parameters":[
                 {"name":"limit","in":"query","required":true,"schema":{"type":"integer"}},
                 {"name":"tags","in":"query","schema":{"type":"array","items":{"type":"string"}}}]},
               "post":{"operationId":"addPet","requestBody":{"required":true,"content":{"application/json":
                 {"schema":{"type":"object"}}}}}},
              "/pets/{petId}":{
               "parameters":[{"name":"petId","in":"path","required":true,"schema":{"type":"string"}}],
               "get":{"operationId":"showPet","parameters":[{"name":"X-Trace","in":"header","schema":{"type":"string"}},
                 {"name":"X-Api-Key","in":"header","schema":{"type":"string"}}]},
               "delete":{}}}}
            """;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private HttpServer server;
    private volatile Reply reply = new Reply(200, "application/json", "{\"ok\":true}", 0);
    private String document;

    private record Recorded(String method, String rawPath, String rawQuery, Headers headers, String body) {
    }

    private record Reply(int status, String contentType, String body, long delayMillis) {
    }

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Recorded(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders(), body));
            Reply current = reply;
            sleep(current.delayMillis());
            byte[] bytes = current.body().replace("{query}", String.valueOf(exchange.getRequestURI().getRawQuery()))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", current.contentType());
            if (current.status() == 302) {
                exchange.getResponseHeaders().set("Location", "https://elsewhere.example/v1?"
                        + exchange.getRequestURI().getRawQuery());
            }
            exchange.sendResponseHeaders(current.status(), bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        document = DOCUMENT.formatted("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        executor.shutdownNow();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private JsonNode call(String tool, String arguments) throws Exception {
        return call(tool, arguments, Map.of(), Map.of());
    }

    private JsonNode call(String tool, String arguments, Map<String, String> headers, Map<String, String> query)
            throws Exception {
        return new OpenApiCaller(GUARD).call(document, tool, Json.MAPPER.readTree(arguments), headers, query, LIMITS);
    }

    private static String text(JsonNode result) {
        return result.path("content").get(0).path("text").asText();
    }

    @Test
    void callWhenPathParameterHoldsSlashOrSpaceThenItArrivesAsOnePercentEncodedSegment() throws Exception {
        JsonNode traversal = call("showPet", "{\"petId\":\"../admin\"}");
        call("showPet", "{\"petId\":\"a b?c#d%e\"}");

        assertThat(traversal.path("isError").asBoolean()).isFalse();
        assertThat(requests).extracting(Recorded::method).containsExactly("GET", "GET");
        assertThat(requests).extracting(Recorded::rawPath)
                .containsExactly("/v1/pets/..%2Fadmin", "/v1/pets/a%20b%3Fc%23d%25e");
    }

    @Test
    void callWhenPathParameterIsDotSegmentOrEmptyThenToolErrorAndNoRequest() throws Exception {
        for (String value : List.of("..", ".", "")) {
            JsonNode result = call("showPet", "{\"petId\":\"" + value + "\"}");

            assertThat(result.path("isError").asBoolean()).isTrue();
            assertThat(text(result)).contains("'petId'").contains("one segment");
        }
        assertThat(requests).isEmpty();
    }

    @Test
    void callWhenQueryAndHeaderArgumentsThenTheyArriveEncoded() throws Exception {
        call("listPets", "{\"limit\":5,\"tags\":[\"a&b\",\"c d\"]}");
        call("showPet", "{\"petId\":\"7\",\"X-Trace\":\"trace 1\"}");

        assertThat(requests.get(0).rawQuery()).isEqualTo("limit=5&tags=a%26b&tags=c%20d");
        assertThat(requests.get(1).headers().getFirst("X-Trace")).isEqualTo("trace 1");
        assertThat(requests.get(1).rawQuery()).isNull();
    }

    @Test
    void callWhenOperationTakesBodyThenJsonBodyArrivesAndJsonObjectAnswerIsStructured() throws Exception {
        reply = new Reply(201, "application/json; charset=utf-8", "{\"id\":42,\"name\":\"Rex\"}", 0);

        JsonNode result = call("addPet", "{\"body\":{\"name\":\"Rex\",\"tags\":[\"dog\"]}}");

        Recorded request = requests.get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.rawPath()).isEqualTo("/v1/pets");
        assertThat(request.headers().getFirst("Content-Type")).isEqualTo("application/json");
        assertThat(Json.MAPPER.readTree(request.body())).isEqualTo(Json.MAPPER.readTree("{\"name\":\"Rex\",\"tags\":[\"dog\"]}"));
        assertThat(result.path("isError").asBoolean()).isFalse();
        assertThat(text(result)).isEqualTo("{\"id\":42,\"name\":\"Rex\"}");
        assertThat(result.path("structuredContent").path("id").asInt()).isEqualTo(42);
    }

    @Test
    void callWhenRequiredArgumentMissingOrUnknownThenToolErrorNamingItAndNoRequest() throws Exception {
        JsonNode noLimit = call("listPets", "{\"tags\":[\"a\"]}");
        JsonNode noBody = call("addPet", "{}");
        JsonNode unknown = call("listPets", "{\"limit\":1,\"user\":\"victim\"}");

        assertThat(noLimit.path("isError").asBoolean()).isTrue();
        assertThat(text(noLimit)).contains("missing required argument 'limit'");
        assertThat(text(noBody)).contains("missing required argument 'body'");
        assertThat(text(unknown)).contains("unknown argument 'user'");
        assertThat(requests).isEmpty();
    }

    @Test
    void callWhenHeaderArgumentHoldsLineBreakThenToolErrorAndNoRequest() throws Exception {
        JsonNode result = call("showPet", "{\"petId\":\"7\",\"X-Trace\":\"a\\r\\nX-Injected: yes\"}");

        assertThat(result.path("isError").asBoolean()).isTrue();
        assertThat(text(result)).contains("'X-Trace'").contains("line breaks");
        assertThat(requests).isEmpty();
    }

    @Test
    void callWhenTargetAnswers404Or500ThenToolErrorWithStatusAndBody() throws Exception {
        reply = new Reply(404, "text/plain", "no such pet", 0);
        JsonNode notFound = call("showPet", "{\"petId\":\"9\"}");
        reply = new Reply(500, "text/plain", "boom", 0);
        JsonNode broken = call("showPet", "{\"petId\":\"9\"}");

        assertThat(notFound.path("isError").asBoolean()).isTrue();
        assertThat(text(notFound)).contains("HTTP 404").contains("GET ").contains("/v1/pets/9").contains("no such pet");
        assertThat(broken.path("isError").asBoolean()).isTrue();
        assertThat(text(broken)).contains("HTTP 500").contains("boom");
    }

    @Test
    void callWhenTargetAnswers401ThenFailsAsRefusedCredentialWithoutTheCredential() {
        reply = new Reply(401, "text/plain", "bad key secret-header-key", 0);

        assertThatThrownBy(() -> call("showPet", "{\"petId\":\"9\"}", Map.of("X-Api-Key", "secret-header-key"), Map.of()))
                .isInstanceOf(TargetCallException.class).hasMessageContaining("HTTP 401").hasMessageContaining("bad key")
                .hasMessageNotContaining("secret-header-key")
                .satisfies(failure -> assertThat(((TargetCallException) failure).reason())
                        .isEqualTo(TargetCallException.Reason.TARGET_REFUSED_CREDENTIAL));
    }

    @Test
    void callWhenApiKeyGoesInQueryThenItArrivesAndIsNeverInTheResult() throws Exception {
        reply = new Reply(500, "application/json", "{\"error\":\"failed for {query}\"}", 0);

        JsonNode result = call("listPets", "{\"limit\":2}", Map.of(), Map.of("api_key", "secret/key 123"));

        assertThat(requests.get(0).rawQuery()).isEqualTo("limit=2&api_key=secret%2Fkey%20123");
        assertThat(result.toString()).doesNotContain("secret").contains("[credential]");
    }

    @Test
    void callWhenArgumentNamesTheCredentialHeaderThenTheCredentialIsSent() throws Exception {
        call("showPet", "{\"petId\":\"7\",\"X-Api-Key\":\"attacker-key\"}", Map.of("X-Api-Key", "real-key-123"), Map.of());

        assertThat(requests.get(0).headers().get("X-Api-Key")).containsExactly("real-key-123");
    }

    @Test
    void callWhenOperationHasNoOperationIdThenFoundByMethodAndPath() throws Exception {
        call("delete_pets_petId", "{\"petId\":\"7\"}");

        assertThat(requests).extracting(Recorded::method, Recorded::rawPath).containsExactly(
                org.assertj.core.groups.Tuple.tuple("DELETE", "/v1/pets/7"));
    }

    @Test
    void callWhenYamlDocumentWithServerVariableThenVariableDefaultIsUsed() throws Exception {
        document = """
                openapi: 3.1.0
                info: {title: Pets, version: "1"}
                servers: [{url: "http://127.0.0.1:{port}/{base}", variables: {port: {default: "%d"}, base: {default: v2}}}]
                paths:
                  /pets:
                    get: {operationId: listPets}
                """.formatted(server.getAddress().getPort());

        JsonNode result = call("listPets", "{}");

        assertThat(result.path("isError").asBoolean()).isFalse();
        assertThat(requests.get(0).rawPath()).isEqualTo("/v2/pets");
    }

    @Test
    void callWhenResponseLargerThanTheLimitThenFailsNamingTheLimit() {
        reply = new Reply(200, "text/plain", "x".repeat(LIMITS.maxResponseBytes() + 1), 0);

        assertThatThrownBy(() -> call("showPet", "{\"petId\":\"7\"}"))
                .isInstanceOf(TargetCallException.class).hasMessageContaining("with more than 64 KiB")
                .satisfies(failure -> assertThat(((TargetCallException) failure).reason())
                        .isEqualTo(TargetCallException.Reason.TARGET_RESPONSE_TOO_LARGE));
    }

    @Test
    void callWhenTargetRedirectsThenToolErrorAndRedirectNotFollowed() throws Exception {
        reply = new Reply(302, "text/plain", "", 0);

        JsonNode result = call("listPets", "{\"limit\":1}", Map.of(), Map.of("api_key", "redirect-secret"));

        assertThat(result.path("isError").asBoolean()).isTrue();
        assertThat(text(result)).contains("HTTP 302").contains("does not follow redirects").doesNotContain("redirect-secret");
        assertThat(requests).hasSize(1);
    }

    @Test
    void callWhenTargetSlowerThanTimeoutThenFailsNamingTheTimeout() throws Exception {
        reply = new Reply(200, "text/plain", "late", 3000);
        OpenApiCaller caller = new OpenApiCaller(GUARD);

        assertThatThrownBy(() -> caller.call(document, "showPet", Json.MAPPER.readTree("{\"petId\":\"7\"}"), Map.of(),
                Map.of(), new TargetLimits(Duration.ofMillis(300), 1024, 10)))
                .isInstanceOf(TargetCallException.class).hasMessageContaining("no answer within 300 ms");
    }

    @Test
    void callWhenServerUrlIsMetadataAddressThenRefusedBeforeAnyConnection() throws Exception {
        document = DOCUMENT.formatted("http://169.254.169.254");

        assertThatThrownBy(() -> call("listPets", "{\"limit\":1}", Map.of(), Map.of("api_key", "metadata-secret")))
                .isInstanceOf(ToolListingException.class)
                .hasMessageContaining("Keygate does not contact GET http://169.254.169.254/v1/pets")
                .hasMessageContaining("metadata")
                .hasMessageNotContaining("metadata-secret");
    }

    @Test
    void callWhenToolNotInDocumentThenFailsSayingSo() {
        assertThatThrownBy(() -> call("removed", "{}"))
                .isInstanceOf(ToolListingException.class).hasMessageContaining("no operation for the tool removed");
    }

    @Test
    void constructorWhenArgumentMissingThenNullPointerException() {
        assertThatThrownBy(() -> new OpenApiCaller(null)).isInstanceOf(NullPointerException.class);
    }
}
