package io.keygate.oauth;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.keygate.config.KeygateConfig;
import io.keygate.net.OutboundUrlException;
import io.keygate.net.OutboundUrlGuard;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link OAuthClient} against a real authorization server (mock-oauth2-server) for the grants, and against
 * scripted JDK {@link HttpServer} token endpoints for error classification (security.md TV-5, TV-6, §3.2,
 * §3.4), redirects, timeouts and secret hygiene (LG-1). Everything runs on 127.0.0.1.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OAuthClientTests {
    private static final OutboundUrlGuard GUARD = new OutboundUrlGuard(new KeygateConfig.OutboundPolicy(List.of(), false));
    private static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");
    private static final Clock FIXED = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final URI REDIRECT_URI = URI.create("http://127.0.0.1:1/cb");
    private static final String TOKENS = "{\"access_token\":\"at-canary-1\",\"token_type\":\"Bearer\",\"expires_in\":3600}";

    private final List<HttpServer> servers = new ArrayList<>();
    private final List<ExecutorService> executors = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private MockOAuth2Server oauthServer;

    @AfterEach
    void stopServers() {
        release.countDown();
        servers.forEach(server -> server.stop(0));
        executors.forEach(ExecutorService::shutdownNow);
        if (oauthServer != null) {
            oauthServer.shutdown();
        }
    }

    private record Recorded(Headers headers, Map<String, List<String>> form) {
    }

    private MockOAuth2Server startOAuthServer() throws IOException {
        oauthServer = new MockOAuth2Server();
        oauthServer.start(InetAddress.getByName("127.0.0.1"), 0);
        return oauthServer;
    }

    private URI mockTokenEndpoint() {
        return oauthServer.tokenEndpointUrl("default").uri();
    }

    private Map<String, List<String>> takeForm() throws InterruptedException {
        RecordedRequest request = oauthServer.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).as("request reached mock-oauth2-server").isNotNull();
        return URLUtils.parseParameters(request.getUtf8Body());
    }

    private HttpServer scripted(HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        ExecutorService executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/", handler);
        server.start();
        servers.add(server);
        executors.add(executor);
        return server;
    }

    /** A token endpoint that records each request and answers {@code status} with {@code body}. */
    private HttpServer scripted(int status, String body, Map<String, String> headers, List<Recorded> sink)
            throws IOException {
        return scripted(exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                String form = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                sink.add(new Recorded(exchange.getRequestHeaders(), URLUtils.parseParameters(form)));
            }
            respond(exchange, status, body, headers);
        });
    }

    private static void respond(HttpExchange exchange, int status, String body, Map<String, String> headers)
            throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static URI tokenUri(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
    }

    private static ClientRegistration basic(URI endpoint) {
        return new ClientRegistration("client-1", "secret-canary", null, endpoint);
    }

    private static OAuthClient client(Clock clock) {
        return new OAuthClient(GUARD, clock, Duration.ofSeconds(5));
    }

    private static String s256(String verifier) throws NoSuchAlgorithmException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    /** Runs the front channel of an authorization code flow with PKCE and returns the issued code. */
    private String authorize(String verifier) throws Exception {
        URI authorize = oauthServer.authorizationEndpointUrl("default").newBuilder()
                .addQueryParameter("response_type", "code").addQueryParameter("client_id", "client-1")
                .addQueryParameter("redirect_uri", REDIRECT_URI.toString()).addQueryParameter("state", "state-1")
                .addQueryParameter("code_challenge", s256(verifier)).addQueryParameter("code_challenge_method", "S256")
                .addQueryParameter("scope", "openid").build().uri();
        HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<Void> response = browser.send(HttpRequest.newBuilder(authorize).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(302);
        URI location = URI.create(response.headers().firstValue("Location").orElseThrow());
        Map<String, List<String>> query = URLUtils.parseParameters(location.getRawQuery());
        assertThat(query.get("state")).containsExactly("state-1");
        assertThat(oauthServer.takeRequest(5, TimeUnit.SECONDS)).isNotNull();
        return query.get("code").get(0);
    }

    @Test
    void clientCredentialsWhenMockServerThenJwtAccessTokenExpiringInFuture() throws Exception {
        startOAuthServer();
        Instant before = Instant.now();

        TokenResponse response = client(Clock.systemUTC())
                .clientCredentials(basic(mockTokenEndpoint()), List.of("read"), List.of(), List.of());

        assertThat(response).isInstanceOf(TokenSuccess.class);
        TokenSuccess success = (TokenSuccess) response;
        assertThat(SignedJWT.parse(success.accessToken()).getJWTClaimsSet().getIssuer())
                .isEqualTo(oauthServer.issuerUrl("default").toString());
        assertThat(success.expiresAt()).isAfter(before.plusSeconds(60));
        assertThat(success.tokenType()).isEqualToIgnoringCase("Bearer");
    }

    @Test
    void clientCredentialsWhenClientSecretPostThenCredentialsInBodyAndTokenIssued() throws Exception {
        startOAuthServer();
        ClientRegistration post = new ClientRegistration("client-1", "secret-canary",
                ClientRegistration.CLIENT_SECRET_POST, mockTokenEndpoint());

        TokenResponse response = client(Clock.systemUTC()).clientCredentials(post, List.of(), List.of(), List.of());

        assertThat(response).isInstanceOf(TokenSuccess.class);
        RecordedRequest request = oauthServer.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getHeader("Authorization")).isNull();
        Map<String, List<String>> form = URLUtils.parseParameters(request.getUtf8Body());
        assertThat(form.get("client_id")).containsExactly("client-1");
        assertThat(form.get("client_secret")).containsExactly("secret-canary");
    }

    @Test
    void clientCredentialsWhenScopesAudiencesResourcesThenEachSentAsFormParameter() throws Exception {
        startOAuthServer();

        TokenResponse response = client(Clock.systemUTC()).clientCredentials(basic(mockTokenEndpoint()),
                List.of("read", "write"), List.of("https://api-a.example", "https://api-b.example"),
                List.of("https://rs-1.example/mcp", "https://rs-2.example/"));

        assertThat(response).isInstanceOf(TokenSuccess.class);
        Map<String, List<String>> form = takeForm();
        assertThat(form.get("grant_type")).containsExactly("client_credentials");
        assertThat(form.get("scope")).containsExactly("read write");
        assertThat(form.get("audience")).containsExactly("https://api-a.example", "https://api-b.example");
        assertThat(form.get("resource")).containsExactly("https://rs-1.example/mcp", "https://rs-2.example/");
    }

    @Test
    void authorizationCodeWhenPkceFlowThenAccessRefreshAndIdTokenAndVerifierSent() throws Exception {
        startOAuthServer();
        String verifier = new CodeVerifier().getValue();
        String code = authorize(verifier);

        TokenResponse response = client(Clock.systemUTC()).authorizationCode(basic(mockTokenEndpoint()), code,
                REDIRECT_URI, verifier, List.of("https://rs-1.example/mcp"));

        assertThat(response).isInstanceOf(TokenSuccess.class);
        TokenSuccess success = (TokenSuccess) response;
        assertThat(success.accessToken()).isNotBlank();
        assertThat(success.refreshToken()).isNotBlank();
        assertThat(SignedJWT.parse(success.idToken()).getJWTClaimsSet().getAudience()).contains("client-1");
        Map<String, List<String>> form = takeForm();
        assertThat(form.get("grant_type")).containsExactly("authorization_code");
        assertThat(form.get("code")).containsExactly(code);
        assertThat(form.get("code_verifier")).containsExactly(verifier);
        assertThat(form.get("redirect_uri")).containsExactly(REDIRECT_URI.toString());
        assertThat(form.get("resource")).containsExactly("https://rs-1.example/mcp");
    }

    @Test
    void refreshWhenRefreshTokenFromCodeFlowThenNewAccessToken() throws Exception {
        startOAuthServer();
        String verifier = new CodeVerifier().getValue();
        OAuthClient client = client(Clock.systemUTC());
        TokenSuccess first = (TokenSuccess) client.authorizationCode(basic(mockTokenEndpoint()), authorize(verifier),
                REDIRECT_URI, verifier, List.of());
        takeForm();

        TokenResponse response = client.refresh(basic(mockTokenEndpoint()), first.refreshToken(), List.of());

        assertThat(response).isInstanceOf(TokenSuccess.class);
        assertThat(((TokenSuccess) response).accessToken()).isNotBlank().isNotEqualTo(first.accessToken());
        Map<String, List<String>> form = takeForm();
        assertThat(form.get("grant_type")).containsExactly("refresh_token");
        assertThat(form.get("refresh_token")).containsExactly(first.refreshToken());
    }

    @Test
    void refreshWhenDebugLoggingThenOnlyHostGrantAndStatusNoTokens() throws Exception {
        startOAuthServer();
        Logger logger = (Logger) LoggerFactory.getLogger(OAuthClient.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        Level previous = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        try {
            String verifier = new CodeVerifier().getValue();
            String code = authorize(verifier);
            OAuthClient client = client(Clock.systemUTC());
            TokenSuccess first = (TokenSuccess) client.authorizationCode(basic(mockTokenEndpoint()), code,
                    REDIRECT_URI, verifier, List.of());
            TokenSuccess second = (TokenSuccess) client.refresh(basic(mockTokenEndpoint()), first.refreshToken(), List.of());

            List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(lines).hasSize(2)
                    .allMatch(line -> line.contains(mockTokenEndpoint().getHost()) && line.contains("HTTP 200"));
            assertThat(String.join("\n", lines)).doesNotContain(first.accessToken(), first.refreshToken(),
                    first.idToken(), second.accessToken(), code, verifier, "secret-canary");
        } finally {
            logger.setLevel(previous);
            logger.detachAppender(appender);
        }
    }

    @Test
    void refreshWhenInvalidGrantThenTerminalTokenError() throws Exception {
        HttpServer server = scripted(400, "{\"error\":\"invalid_grant\",\"error_description\":\"revoked\"}",
                Map.of(), new CopyOnWriteArrayList<>());

        TokenResponse response = client(FIXED).refresh(basic(tokenUri(server)), "rt-1", List.of());

        assertThat(response).isEqualTo(new TokenError("invalid_grant", "revoked", 400));
        assertThat(((TokenError) response).isTerminal()).isTrue();
    }

    @Test
    void refreshWhen401InvalidClientThenTerminalTokenError() throws Exception {
        HttpServer server = scripted(401, "{\"error\":\"invalid_client\"}", Map.of(), new CopyOnWriteArrayList<>());

        TokenResponse response = client(FIXED).refresh(basic(tokenUri(server)), "rt-1", List.of());

        assertThat(response).isInstanceOf(TokenError.class);
        assertThat(((TokenError) response).error()).isEqualTo("invalid_client");
        assertThat(((TokenError) response).httpStatus()).isEqualTo(401);
        assertThat(((TokenError) response).isTerminal()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"invalid_grant,true", "invalid_client,true", "unauthorized_client,true",
            "unsupported_grant_type,true", "invalid_scope,true", "invalid_request,false", "temporarily_unavailable,false",
            "invalid_response,false", "slow_down,false"})
    void isTerminalWhenErrorCodeThenTerminalOnlyForDeadGrantOrClient(String code, boolean terminal) {
        assertThat(new TokenError(code, null, 400).isTerminal()).isEqualTo(terminal);
    }

    @Test
    void refreshWhen503WithRetryAfterSecondsThenTransientWithRetryAfter() throws Exception {
        HttpServer server = scripted(503, "", Map.of("Retry-After", "7"), new CopyOnWriteArrayList<>());

        assertThatThrownBy(() -> client(FIXED).refresh(basic(tokenUri(server)), "rt-canary", List.of()))
                .isInstanceOfSatisfying(TransientTokenException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(503);
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(e.outcomeUnknown()).isFalse();
                    assertThat(e.getMessage()).contains("127.0.0.1").contains("503").doesNotContain("rt-canary");
                });
    }

    @Test
    void clientCredentialsWhen429WithRetryAfterDateThenTransientWithDelayFromClock() throws Exception {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(NOW.plusSeconds(30), ZoneOffset.UTC));
        HttpServer server = scripted(429, "{\"error\":\"slow_down\"}", Map.of("Retry-After", date),
                new CopyOnWriteArrayList<>());

        assertThatThrownBy(() -> client(FIXED).clientCredentials(basic(tokenUri(server)), List.of(), List.of(), List.of()))
                .isInstanceOfSatisfying(TransientTokenException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(429);
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(e.outcomeUnknown()).isFalse();
                });
    }

    @Test
    void refreshWhen500WithoutRetryAfterThenTransientWithNullRetryAfter() throws Exception {
        HttpServer server = scripted(500, "oops", Map.of(), new CopyOnWriteArrayList<>());

        assertThatThrownBy(() -> client(FIXED).refresh(basic(tokenUri(server)), "rt-1", List.of()))
                .isInstanceOfSatisfying(TransientTokenException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(500);
                    assertThat(e.retryAfter()).isNull();
                });
    }

    @Test
    void refreshWhenAnswerSlowerThanTimeoutThenTransientWithOutcomeUnknown() throws Exception {
        HttpServer server = scripted(exchange -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, TOKENS, Map.of());
        });
        OAuthClient client = new OAuthClient(GUARD, FIXED, Duration.ofMillis(300));
        long start = System.nanoTime();

        assertThatThrownBy(() -> client.refresh(basic(tokenUri(server)), "rt-canary", List.of()))
                .isInstanceOfSatisfying(TransientTokenException.class, e -> {
                    assertThat(e.httpStatus()).isZero();
                    assertThat(e.outcomeUnknown()).isTrue();
                    assertThat(e.getMessage()).contains("127.0.0.1").doesNotContain("rt-canary");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void refreshWhenConnectionRefusedThenTransientWithOutcomeKnown() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        URI endpoint = URI.create("http://127.0.0.1:" + closedPort + "/token");

        assertThatThrownBy(() -> client(FIXED).refresh(basic(endpoint), "rt-1", List.of()))
                .isInstanceOfSatisfying(TransientTokenException.class, e -> {
                    assertThat(e.httpStatus()).isZero();
                    assertThat(e.outcomeUnknown()).isFalse();
                    assertThat(e.retryAfter()).isNull();
                });
    }

    @ParameterizedTest
    @ValueSource(ints = {302, 307})
    void clientCredentialsWhenRedirectThenInvalidResponseAndTargetNotContacted(int status) throws Exception {
        List<Recorded> targetRequests = new CopyOnWriteArrayList<>();
        HttpServer target = scripted(200, TOKENS, Map.of(), targetRequests);
        HttpServer redirecting = scripted(status, "", Map.of("Location", tokenUri(target).toString()),
                new CopyOnWriteArrayList<>());

        TokenResponse response = client(FIXED)
                .clientCredentials(basic(tokenUri(redirecting)), List.of(), List.of(), List.of());

        assertThat(response).isEqualTo(new TokenError("invalid_response", "redirect not followed", status));
        assertThat(targetRequests).isEmpty();
    }

    @Test
    void refreshWhenAnswerHasNoRefreshTokenThenRefreshTokenNullAndExpiryFromClock() throws Exception {
        HttpServer server = scripted(200, TOKENS, Map.of(), new CopyOnWriteArrayList<>());

        TokenResponse response = client(FIXED).refresh(basic(tokenUri(server)), "rt-1", List.of("read"));

        assertThat(response).isEqualTo(new TokenSuccess("at-canary-1", null, NOW.plusSeconds(3600), null, null, "Bearer"));
    }

    @Test
    void clientCredentialsWhenClientSecretBasicThenAuthorizationHeaderAndNoSecretInBody() throws Exception {
        List<Recorded> requests = new CopyOnWriteArrayList<>();
        HttpServer server = scripted(200, TOKENS, Map.of(), requests);

        client(FIXED).clientCredentials(basic(tokenUri(server)), List.of(), List.of(), List.of());

        Recorded request = requests.get(0);
        String authorization = request.headers().getFirst("Authorization");
        assertThat(authorization).startsWith("Basic ");
        assertThat(new String(Base64.getDecoder().decode(authorization.substring(6)), StandardCharsets.UTF_8))
                .isEqualTo("client-1:secret-canary");
        assertThat(request.form()).doesNotContainKey("client_secret");
        assertThat(request.form().get("grant_type")).containsExactly("client_credentials");
    }

    @Test
    void refreshWhenPublicClientThenClientIdInBodyAndNoAuthorizationHeader() throws Exception {
        List<Recorded> requests = new CopyOnWriteArrayList<>();
        HttpServer server = scripted(200, TOKENS, Map.of(), requests);

        client(FIXED).refresh(ClientRegistration.publicClient("public-1", tokenUri(server)), "rt-1", List.of());

        assertThat(requests.get(0).headers().getFirst("Authorization")).isNull();
        assertThat(requests.get(0).form().get("client_id")).containsExactly("public-1");
        assertThat(requests.get(0).form()).doesNotContainKey("client_secret");
    }

    @Test
    void tokenRequestWhenSentThenAcceptsJsonAndPosts() throws Exception {
        List<Recorded> requests = new CopyOnWriteArrayList<>();
        HttpServer server = scripted(200, TOKENS, Map.of(), requests);

        client(FIXED).refresh(basic(tokenUri(server)), "rt-1", List.of());

        assertThat(requests.get(0).headers().getFirst("Accept")).isEqualTo("application/json");
        assertThat(requests.get(0).headers().getFirst("Content-Type")).startsWith("application/x-www-form-urlencoded");
    }

    @Test
    void authorizationCodeWhenErrorInside200ThenTokenErrorNotTerminal() throws Exception {
        // GitHub answers a spent code with HTTP 200 and an error body
        HttpServer server = scripted(200, "{\"error\":\"bad_verification_code\"}", Map.of(), new CopyOnWriteArrayList<>());

        TokenResponse response = client(FIXED).authorizationCode(basic(tokenUri(server)), "code-1", REDIRECT_URI,
                new CodeVerifier().getValue(), List.of());

        assertThat(response).isEqualTo(new TokenError("bad_verification_code", null, 200));
        assertThat(((TokenError) response).isTerminal()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"<html>login</html>", "{\"token_type\":\"Bearer\"}", "[]", ""})
    void refreshWhen200BodyIsNotATokenResponseThenInvalidResponse(String body) throws Exception {
        HttpServer server = scripted(200, body, Map.of(), new CopyOnWriteArrayList<>());

        TokenResponse response = client(FIXED).refresh(basic(tokenUri(server)), "rt-1", List.of());

        assertThat(response).isInstanceOf(TokenError.class);
        assertThat(((TokenError) response).error()).isEqualTo("invalid_response");
        assertThat(((TokenError) response).httpStatus()).isEqualTo(200);
        assertThat(((TokenError) response).description()).doesNotContain("login");
    }

    @Test
    void refreshWhen404WithoutErrorCodeThenInvalidResponseNotTerminal() throws Exception {
        HttpServer server = scripted(404, "not found", Map.of(), new CopyOnWriteArrayList<>());

        TokenResponse response = client(FIXED).refresh(basic(tokenUri(server)), "rt-1", List.of());

        assertThat(response).isInstanceOf(TokenError.class);
        assertThat(((TokenError) response).error()).isEqualTo("invalid_response");
        assertThat(((TokenError) response).isTerminal()).isFalse();
    }

    @Test
    void refreshWhenAnswerLargerThanLimitThenTransientWithOutcomeUnknown() throws Exception {
        String huge = "{\"access_token\":\"" + "a".repeat(TokenHttpSender.MAX_RESPONSE_BYTES) + "\"}";
        HttpServer server = scripted(200, huge, Map.of(), new CopyOnWriteArrayList<>());

        assertThatThrownBy(() -> client(FIXED).refresh(basic(tokenUri(server)), "rt-1", List.of()))
                .isInstanceOfSatisfying(TransientTokenException.class, e -> assertThat(e.outcomeUnknown()).isTrue());
    }

    @Test
    void toStringWhenRegistrationAndTokensThenNoSecretOrTokenValues() {
        ClientRegistration registration = basic(URI.create("https://idp.example/token"));
        TokenSuccess success = new TokenSuccess("at-canary", "rt-canary", NOW, "read", "id-canary", "Bearer");

        assertThat(registration.toString()).contains("client-1").doesNotContain("secret-canary");
        assertThat(success.toString()).contains("read").doesNotContain("at-canary", "rt-canary", "id-canary");
    }

    @Test
    void clientRegistrationWhenMethodNullThenBasicAndWhenUnknownThenRefused() {
        assertThat(basic(URI.create("https://idp.example/token")).authenticationMethod()).isEqualTo("CLIENT_SECRET_BASIC");
        assertThatThrownBy(() -> new ClientRegistration("c", "s", "PRIVATE_KEY_JWT", URI.create("https://idp.example/t")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void clientCredentialsWhenEndpointIsMetadataAddressThenOutboundUrlException() {
        ClientRegistration metadata = basic(URI.create("http://169.254.169.254/token"));

        assertThatThrownBy(() -> client(FIXED).clientCredentials(metadata, List.of(), List.of(), List.of()))
                .isInstanceOf(OutboundUrlException.class)
                .hasMessageContaining("link-local or metadata");
    }

    @Test
    void refreshWhenGuardRefusesLiveEndpointThenNothingSent() throws Exception {
        List<Recorded> requests = new CopyOnWriteArrayList<>();
        HttpServer server = scripted(200, TOKENS, Map.of(), requests);
        URI withUserInfo = URI.create("http://user@127.0.0.1:" + server.getAddress().getPort() + "/token");

        assertThatThrownBy(() -> client(FIXED).refresh(basic(withUserInfo), "rt-1", List.of()))
                .isInstanceOf(OutboundUrlException.class);
        assertThat(requests).isEmpty();
    }

    @Test
    void clientCredentialsWhenPublicClientThenRefusedBeforeSending() {
        ClientRegistration publicClient = ClientRegistration.publicClient("p", URI.create("https://idp.example/token"));

        assertThatThrownBy(() -> client(FIXED).clientCredentials(publicClient, List.of(), List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
