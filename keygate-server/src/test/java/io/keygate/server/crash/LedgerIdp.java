package io.keygate.server.crash;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.keygate.json.Json;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ledger IdP of security.md §4.0, as small as the crash tests need: an authorization endpoint that
 * signs in whichever account the test says is at the browser, and a token endpoint that records every
 * code and refresh-token redemption, checks PKCE S256, and rotates refresh tokens either strictly
 * (a spent one is {@code invalid_grant}) or with a grace window for the one just spent. It is the
 * oracle for I1 (whose tokens are these), I2 (which refresh token is current) and I6 (redeemed once).
 */
final class LedgerIdp implements AutoCloseable {
    private final HttpServer server;
    private final java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newFixedThreadPool(4);
    private final AtomicInteger serial = new AtomicInteger();
    private final Map<String, Code> codes = new ConcurrentHashMap<>();
    private final Map<String, Integer> redemptions = new ConcurrentHashMap<>();
    private final Map<String, String> accountOfToken = new ConcurrentHashMap<>();
    private final Map<String, String> currentRefreshToken = new ConcurrentHashMap<>();
    private final Map<String, String> previousRefreshToken = new ConcurrentHashMap<>();
    private volatile String signedIn = "nobody";
    private volatile boolean graceWindow;
    private volatile long expiresIn = 3600;

    private record Code(String account, String challenge, String redirectUri) {
    }

    LedgerIdp() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.setExecutor(executor);
        server.start();
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The account the next authorization signs in (the person at the browser). */
    void signIn(String account) {
        signedIn = account;
    }

    /** With a grace window, the refresh token spent last may be redeemed once more (Auth0, Okta style). */
    void graceWindow(boolean enabled) {
        graceWindow = enabled;
    }

    void expiresIn(long seconds) {
        expiresIn = seconds;
    }

    /** The IdP account a token was issued to, or null for a token this IdP never issued. */
    String accountOf(String token) {
        return token == null ? null : accountOfToken.get(token);
    }

    /** Every access and refresh token issued (canaries for the database and log scans). */
    java.util.Set<String> issuedTokens() {
        return java.util.Set.copyOf(accountOfToken.keySet());
    }

    String currentRefreshToken(String account) {
        return currentRefreshToken.get(account);
    }

    /** How often each code or refresh token was redeemed successfully or not. */
    Map<String, Integer> redemptions() {
        return Map.copyOf(redemptions);
    }

    private void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        String code = "code-" + serial.incrementAndGet();
        codes.put(code, new Code(signedIn, query.get("code_challenge"), query.get("redirect_uri")));
        String location = query.get("redirect_uri") + "?code=" + code + "&state="
                + URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private synchronized void token(HttpExchange exchange) throws IOException {
        Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        boolean code = "authorization_code".equals(form.get("grant_type"));
        String presented = code ? form.get("code") : form.get("refresh_token");
        int times = redemptions.merge(presented == null ? "" : presented, 1, Integer::sum);
        String account = code ? redeemCode(form, times) : redeemRefreshToken(presented, times);
        if (account == null) {
            answer(exchange, 400, Map.of("error", "invalid_grant"));
            return;
        }
        int n = serial.incrementAndGet();
        String accessToken = "at." + account + "." + n;
        String refreshToken = "rt." + account + "." + n;
        accountOfToken.put(accessToken, account);
        accountOfToken.put(refreshToken, account);
        String spent = currentRefreshToken.put(account, refreshToken);
        if (spent != null) {
            previousRefreshToken.put(account, spent);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", accessToken);
        body.put("token_type", "Bearer");
        body.put("expires_in", expiresIn);
        body.put("refresh_token", refreshToken);
        answer(exchange, 200, body);
    }

    private String redeemCode(Map<String, String> form, int times) {
        Code issued = codes.get(form.get("code"));
        boolean pkce = issued != null && form.get("code_verifier") != null
                && issued.challenge().equals(s256(form.get("code_verifier")));
        return issued != null && times == 1 && pkce && issued.redirectUri().equals(form.get("redirect_uri"))
                ? issued.account() : null;
    }

    private String redeemRefreshToken(String presented, int times) {
        String account = accountOf(presented);
        if (account == null) {
            return null;
        }
        boolean current = presented.equals(currentRefreshToken.get(account));
        boolean graced = graceWindow && times == 2 && presented.equals(previousRefreshToken.get(account));
        return current || graced ? account : null;
    }

    private static void answer(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> values = new HashMap<>();
        for (String pair : encoded == null || encoded.isEmpty() ? new String[0] : encoded.split("&")) {
            int equals = pair.indexOf('=');
            values.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    URI authorizationEndpoint() {
        return URI.create(issuer() + "/authorize");
    }

    URI tokenEndpoint() {
        return URI.create(issuer() + "/token");
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
