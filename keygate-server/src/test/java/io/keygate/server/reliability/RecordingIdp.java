package io.keygate.server.reliability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The ledger IdP of security.md §4.0: a real token endpoint on loopback for the {@code authorization_code}
 * and {@code refresh_token} grants that records every redemption, with switchable refresh-token rotation
 * rules (strict single use; reuse revokes the family; a grace window for the previous token) and scripted
 * faults (5xx, 429 with {@code Retry-After}, no answer, and "commit then delay": rotate, then answer too late).
 * Every token it issues carries {@link #CANARY}, so scans can prove none leaked (I5). It runs on the test's
 * clock, so replay windows pass when the test moves the clock.
 */
final class RecordingIdp implements AutoCloseable {
    static final String CANARY = "kgcanary";
    static final String CLIENT_ID = "keygate-client";
    static final String CLIENT_SECRET = "client-secret-" + CANARY;
    static final Duration ACCESS_TOKEN_LIFETIME = Duration.ofHours(1);

    /** What happens when a refresh token that was already rotated away is presented again. */
    enum Rotation { STRICT, REUSE_REVOKES_FAMILY, GRACE }

    /** One request at the token endpoint; {@code outcome} is issued, replayed, refused:&lt;code&gt; or fault:&lt;what&gt;. */
    record Redemption(String grant, String presented, String family, String outcome, Instant at) {
        boolean succeeded() {
            return outcome.equals("issued") || outcome.equals("replayed");
        }
    }

    /** A scripted answer for the next refresh request. */
    record Fault(int status, Duration retryAfter, Duration stall, boolean processFirst) {
        static Fault status(int status) {
            return new Fault(status, null, Duration.ZERO, false);
        }

        static Fault tooManyRequests(Duration retryAfter) {
            return new Fault(429, retryAfter, Duration.ZERO, false);
        }

        /** The request is never processed and never answered before the client gives up. */
        static Fault noAnswer(Duration stall) {
            return new Fault(0, null, stall, false);
        }

        /** Commit-then-delay: the refresh token is rotated, but the answer comes after the client gave up. */
        static Fault lostAnswer(Duration stall) {
            return new Fault(0, null, stall, true);
        }
    }

    private static final class Family {
        final String id;
        final String account;
        String current;
        boolean revoked;

        Family(String id, String account) {
            this.id = id;
            this.account = account;
        }
    }

    private static final class RefreshToken {
        final Family family;
        Instant spentAt;
        String successor;
        boolean replayed;

        RefreshToken(Family family) {
            this.family = family;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(16);
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, String> codes = new HashMap<>();
    private final Map<String, Family> accessTokens = new HashMap<>();
    private final Map<String, RefreshToken> refreshTokens = new HashMap<>();
    private final List<Redemption> ledger = new ArrayList<>();
    private final ConcurrentLinkedDeque<Fault> faults = new ConcurrentLinkedDeque<>();
    private volatile Rotation rotation = Rotation.STRICT;
    private volatile Duration grace = Duration.ZERO;

    RecordingIdp(Clock clock) throws IOException {
        this.clock = clock;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI tokenEndpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
    }

    void rotation(Rotation rule, Duration window) {
        rotation = rule;
        grace = window;
    }

    void script(Fault... next) {
        faults.addAll(List.of(next));
    }

    /** The authorize step: {@code account} logged in and consented; the code is redeemable once. */
    synchronized String issueCode(String account) {
        String code = token("code");
        codes.put(code, account);
        return code;
    }

    /** Revokes a grant at the IdP, as a user removing the app would. */
    synchronized void revokeFamilyOf(String refreshToken) {
        refreshTokens.get(refreshToken).family.revoked = true;
    }

    synchronized List<Redemption> ledger() {
        return List.copyOf(ledger);
    }

    /** Refresh-token redemptions of any outcome: what the issue calls "refresh grants seen at the IdP". */
    synchronized long refreshGrants() {
        return ledger.stream().filter(redemption -> redemption.grant().equals("refresh_token")).count();
    }

    synchronized long refreshGrants(String outcome) {
        return ledger.stream().filter(redemption -> redemption.grant().equals("refresh_token")
                && redemption.outcome().equals(outcome)).count();
    }

    /** The IdP account a token was issued to, or null for a token it never issued. */
    synchronized String accountOf(String token) {
        Family family = accessTokens.get(token);
        if (family == null && refreshTokens.containsKey(token)) {
            family = refreshTokens.get(token).family;
        }
        return family == null ? null : family.account;
    }

    /** Whether this refresh token is the one its family would accept now (I2). */
    synchronized boolean isCurrent(String refreshToken) {
        RefreshToken known = refreshTokens.get(refreshToken);
        return known != null && !known.family.revoked && refreshToken.equals(known.family.current);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> form = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String grant = form.getOrDefault("grant_type", "");
            if (!authenticated(exchange)) {
                record(grant, null, null, "refused:invalid_client");
                answer(exchange, 401, "{\"error\":\"invalid_client\"}", null);
                return;
            }
            Fault fault = grant.equals("refresh_token") ? faults.poll() : null;
            if (fault != null && !fault.processFirst()) {
                failed(exchange, grant, form.get("refresh_token"), fault);
                return;
            }
            String body = grant.equals("authorization_code") ? redeemCode(form.get("code"))
                    : grant.equals("refresh_token") ? redeemRefreshToken(form.get("refresh_token"))
                    : "{\"error\":\"unsupported_grant_type\"}";
            if (fault != null) {
                pause(fault.stall());
                return;
            }
            answer(exchange, body.contains("\"error\"") ? 400 : 200, body, null);
        }
    }

    private void failed(HttpExchange exchange, String grant, String presented, Fault fault) throws IOException {
        synchronized (this) {
            RefreshToken known = refreshTokens.get(presented);
            record(grant, presented, known == null ? null : known.family.id,
                    "fault:" + (fault.status() == 0 ? "no answer" : "HTTP " + fault.status()));
        }
        if (fault.status() == 0) {
            pause(fault.stall());
            return;
        }
        answer(exchange, fault.status(), "", fault.retryAfter() == null ? null : String.valueOf(fault.retryAfter().toSeconds()));
    }

    private synchronized String redeemCode(String code) {
        String account = codes.get(code);
        if (account == null) {
            record("authorization_code", code, null, "refused:invalid_grant");
            return "{\"error\":\"invalid_grant\"}";
        }
        codes.remove(code);
        Family family = new Family(token("family"), account);
        record("authorization_code", code, family.id, "issued");
        return issue(family);
    }

    private synchronized String redeemRefreshToken(String presented) {
        RefreshToken known = refreshTokens.get(presented);
        if (known == null || known.family.revoked) {
            record("refresh_token", presented, known == null ? null : known.family.id, "refused:invalid_grant");
            return "{\"error\":\"invalid_grant\"}";
        }
        Family family = known.family;
        if (presented.equals(family.current)) {
            record("refresh_token", presented, family.id, "issued");
            return rotate(known, family);
        }
        boolean inGrace = rotation == Rotation.GRACE && !known.replayed && family.current.equals(known.successor)
                && !clock.instant().isAfter(known.spentAt.plus(grace));
        if (inGrace) {
            known.replayed = true;
            refreshTokens.get(family.current).spentAt = clock.instant();
            record("refresh_token", presented, family.id, "replayed");
            return rotate(known, family);
        }
        if (rotation == Rotation.REUSE_REVOKES_FAMILY) {
            family.revoked = true;
        }
        record("refresh_token", presented, family.id, "refused:invalid_grant");
        return "{\"error\":\"invalid_grant\"}";
    }

    private String rotate(RefreshToken spent, Family family) {
        if (spent.spentAt == null) {
            spent.spentAt = clock.instant();
        }
        String body = issue(family);
        spent.successor = family.current;
        return body;
    }

    private String issue(Family family) {
        String accessToken = token("at");
        String refreshToken = token("rt");
        accessTokens.put(accessToken, family);
        refreshTokens.put(refreshToken, new RefreshToken(family));
        family.current = refreshToken;
        return "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                + ACCESS_TOKEN_LIFETIME.toSeconds() + ",\"refresh_token\":\"" + refreshToken + "\"}";
    }

    private void record(String grant, String presented, String family, String outcome) {
        synchronized (this) {
            ledger.add(new Redemption(grant, presented, family, outcome, clock.instant()));
        }
    }

    private String token(String kind) {
        byte[] bytes = new byte[12];
        random.nextBytes(bytes);
        return CANARY + "-" + kind + "-" + HexFormat.of().formatHex(bytes);
    }

    private static boolean authenticated(HttpExchange exchange) {
        String expected = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET)
                .getBytes(StandardCharsets.UTF_8));
        return expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
    }

    private static void answer(HttpExchange exchange, int status, String body, String retryAfter) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.getResponseHeaders().add("Cache-Control", "no-store");
        if (retryAfter != null) {
            exchange.getResponseHeaders().add("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> values = new HashMap<>();
        for (String pair : body.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                values.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static void pause(Duration stall) {
        try {
            Thread.sleep(stall.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
