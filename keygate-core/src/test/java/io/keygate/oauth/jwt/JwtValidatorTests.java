package io.keygate.oauth.jwt;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.keygate.config.KeygateConfig;
import io.keygate.net.OutboundHttp;
import io.keygate.net.OutboundUrlGuard;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link JwtValidator} against security.md JV-1..JV-3 and the Part 4 "B3" list of bad inbound JWTs.
 * Tokens come from a {@link MockOAuth2Server} (discovery + JWKS) or are signed here with keys whose public
 * half a local {@link HttpServer} serves as a JWK set, so every claim can be chosen. A second local
 * server plays the attacker and must never be contacted.
 */
class JwtValidatorTests {
    private static final String OWN_ISSUER = "https://issuer.keygate.test";
    private static final String AUDIENCE = "https://gateway.keygate.test";
    private static final OutboundHttp HTTP =
            new OutboundHttp(new OutboundUrlGuard(new KeygateConfig.OutboundPolicy(List.of(), false)));

    private static MockOAuth2Server oauth;
    private static HttpServer keyServer;
    private static HttpServer attackerServer;
    private static final Map<String, String> served = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> keyServerHits = new ConcurrentHashMap<>();
    private static final AtomicInteger attackerHits = new AtomicInteger();
    private static RSAKey ownKey;
    private static RSAKey rotatedKey;
    private static RSAKey attackerKey;

    private Instant now;
    private JwtValidator validator;

    @BeforeAll
    static void startServers() throws Exception {
        oauth = new MockOAuth2Server();
        oauth.start(InetAddress.getByName("127.0.0.1"), 0);
        ownKey = new RSAKeyGenerator(2048).keyID("own-1").generate();
        rotatedKey = new RSAKeyGenerator(2048).keyID("own-2").generate();
        attackerKey = new RSAKeyGenerator(2048).keyID("attacker-1").generate();
        keyServer = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        keyServer.createContext("/", exchange -> {
            keyServerHits.computeIfAbsent(exchange.getRequestURI().getPath(), p -> new AtomicInteger()).incrementAndGet();
            respond(exchange, served.get(exchange.getRequestURI().getPath()));
        });
        keyServer.start();
        attackerServer = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        attackerServer.createContext("/", exchange -> {
            attackerHits.incrementAndGet();
            respond(exchange, new JWKSet(attackerKey.toPublicJWK()).toString());
        });
        attackerServer.start();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @AfterAll
    static void stopServers() {
        oauth.shutdown();
        keyServer.stop(0);
        attackerServer.stop(0);
    }

    @BeforeEach
    void freshValidator() {
        served.clear();
        served.put("/jwks", new JWKSet(ownKey.toPublicJWK()).toString());
        keyServerHits.clear();
        attackerHits.set(0);
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        validator = new JwtValidator(HTTP, Clock.fixed(now, ZoneOffset.UTC));
    }

    // --- helpers -------------------------------------------------------------------------------------

    private static String keyServerUrl(String path) {
        return "http://127.0.0.1:" + keyServer.getAddress().getPort() + path;
    }

    private static TrustedIssuer own(List<String> audiences) {
        return new TrustedIssuer(OWN_ISSUER, null, keyServerUrl("/jwks"), audiences, null);
    }

    private static TrustedIssuer mock(String issuerId, List<String> audiences) {
        return new TrustedIssuer(oauth.issuerUrl(issuerId).toString(), oauth.wellKnownUrl(issuerId).toString(), null,
                audiences, null);
    }

    private JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer(OWN_ISSUER).subject("alice").audience(AUDIENCE)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
    }

    private static String sign(JWSSigner signer, JWSHeader header, JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static String signOwn(JWTClaimsSet claims) throws JOSEException {
        return sign(new RSASSASigner(ownKey), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("own-1").build(), claims);
    }

    private String mockToken(String issuerId, String subject) {
        return oauth.issueToken(issuerId, subject, AUDIENCE, Map.of("scope", "read")).serialize();
    }

    /** Asserts the rejection reason, and that the message repeats no part of the token (so not the token either). */
    private InvalidJwtException assertRejected(String token, List<TrustedIssuer> trusted, String reason) {
        InvalidJwtException e = catchThrowableOfType(InvalidJwtException.class, () -> validator.validate(token, trusted));
        assertThat(e).as("expected rejection with %s", reason).isNotNull();
        assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
        assertThat(e.getMessage()).isNotBlank();
        Arrays.stream(token.split("\\.")).filter(part -> part.length() > 3)
                .forEach(part -> assertThat(e.getMessage()).doesNotContain(part));
        return e;
    }

    private static String b64(String json) {
        return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
    }

    // --- accepted tokens ------------------------------------------------------------------------------

    @Test
    void validateWhenMockServerTokenThenIssuerSubjectAndClaimsReturned() {
        ValidatedJwt jwt = validator.validate(mockToken("default", "alice"), List.of(mock("default", List.of(AUDIENCE))));

        assertThat(jwt.issuer()).isEqualTo(oauth.issuerUrl("default").toString());
        assertThat(jwt.subject()).isEqualTo("alice");
        assertThat(jwt.expiresAt()).isAfter(now);
        assertThat(jwt.claims()).containsEntry("scope", "read").containsKey("aud");
    }

    @Test
    void validateWhenSameSubjectFromTwoTrustedIssuersThenIssuersDiffer() {
        List<TrustedIssuer> trusted = List.of(mock("default", List.of()), mock("other", List.of()));

        ValidatedJwt fromDefault = validator.validate(mockToken("default", "alice"), trusted);
        ValidatedJwt fromOther = validator.validate(mockToken("other", "alice"), trusted);

        assertThat(fromDefault.subject()).isEqualTo(fromOther.subject());
        assertThat(fromDefault.issuer()).isNotEqualTo(fromOther.issuer());
    }

    @Test
    void validateWhenAudienceArrayContainsOursAmongOthersThenAccepted() throws Exception {
        String token = signOwn(claims().audience(List.of("https://other.example", AUDIENCE, "x")).build());

        assertThat(validator.validate(token, List.of(own(List.of(AUDIENCE)))).subject()).isEqualTo("alice");
    }

    @Test
    void validateWhenIssuerHasNoAudiencesThenAudienceNotChecked() throws Exception {
        String token = signOwn(claims().audience("https://other.example").build());

        assertThat(validator.validate(token, List.of(own(List.of()))).issuer()).isEqualTo(OWN_ISSUER);
    }

    @Test
    void validateWhenEcAndEdDsaKeysThenAccepted() throws Exception {
        ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
        OctetKeyPair ed = new OctetKeyPairGenerator(Curve.Ed25519).keyID("ed-1").generate();
        served.put("/jwks", new JWKSet(List.<JWK>of(ec.toPublicJWK(), ed.toPublicJWK())).toString());
        String es256 = sign(new ECDSASigner(ec), new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("ec-1").build(),
                claims().build());
        String eddsa = sign(new Ed25519Signer(ed), new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID("ed-1").build(),
                claims().build());

        assertThat(validator.validate(es256, List.of(own(List.of(AUDIENCE)))).subject()).isEqualTo("alice");
        assertThat(validator.validate(eddsa, List.of(own(List.of(AUDIENCE)))).subject()).isEqualTo("alice");
    }

    // --- JV-1: algorithms ----------------------------------------------------------------------------

    @Test
    void validateWhenAlgNoneThenRejected() {
        String token = b64("{\"alg\":\"none\"}") + "." + b64("{\"iss\":\"" + OWN_ISSUER + "\",\"sub\":\"alice\",\"exp\":"
                + now.plusSeconds(300).getEpochSecond() + "}") + ".";

        assertRejected(token, List.of(own(List.of())), InvalidJwtException.ALGORITHM_NOT_ALLOWED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SPKI_DER", "PEM", "PKCS1_DER"})
    void validateWhenHs256SignedWithRsaPublicKeyThenRejected(String encoding) throws Exception {
        RSAKey published = (RSAKey) JWKSet.parse(HTTP.getJson(URI.create(oauth.jwksUrl("default").toString()))).getKeys().get(0);
        byte[] secret = publicKeyAs(published, encoding);
        JWTClaimsSet claims = claims().issuer(oauth.issuerUrl("default").toString()).build();
        String token = sign(new MACSigner(secret),
                new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(published.getKeyID()).build(), claims);

        assertRejected(token, List.of(mock("default", List.of())), InvalidJwtException.ALGORITHM_NOT_ALLOWED);
    }

    private static byte[] publicKeyAs(RSAKey key, String encoding) throws JOSEException {
        byte[] spki = key.toRSAPublicKey().getEncoded();
        return switch (encoding) {
            case "SPKI_DER" -> spki;
            case "PEM" -> ("-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(spki) + "\n-----END PUBLIC KEY-----\n").getBytes(StandardCharsets.US_ASCII);
            default -> pkcs1(spki);
        };
    }

    /** The RSAPublicKey (PKCS#1) inside an SPKI: skip the outer SEQUENCE header, the AlgorithmIdentifier, the BIT STRING header. */
    private static byte[] pkcs1(byte[] spki) {
        int[] position = {0};
        derHeader(spki, position);
        int algorithmIdLength = derHeader(spki, position);
        position[0] += algorithmIdLength;
        int bitStringLength = derHeader(spki, position);
        return Arrays.copyOfRange(spki, position[0] + 1, position[0] + bitStringLength);
    }

    private static int derHeader(byte[] der, int[] position) {
        position[0]++; // tag
        int first = der[position[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int length = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
            length = (length << 8) | (der[position[0]++] & 0xff);
        }
        return length;
    }

    @Test
    void validateWhenAlgorithmNotInIssuerAllowlistThenRejected() throws Exception {
        TrustedIssuer esOnly = new TrustedIssuer(OWN_ISSUER, null, keyServerUrl("/jwks"), List.of(), List.of("ES256"));

        assertRejected(signOwn(claims().build()), List.of(esOnly), InvalidJwtException.ALGORITHM_NOT_ALLOWED);
    }

    @Test
    void validateWhenSignatureStrippedThenRejected() {
        String token = mockToken("default", "alice");
        String unsigned = token.substring(0, token.lastIndexOf('.') + 1);

        assertRejected(unsigned, List.of(mock("default", List.of())), InvalidJwtException.MALFORMED);
        assertRejected(unsigned.substring(0, unsigned.length() - 1), List.of(mock("default", List.of())),
                InvalidJwtException.MALFORMED);
    }

    @Test
    void validateWhenPayloadTamperedThenBadSignature() throws Exception {
        String[] parts = signOwn(claims().build()).split("\\.");
        String tampered = parts[0] + "." + b64(claims().subject("admin").build().toString()) + "." + parts[2];

        assertRejected(tampered, List.of(own(List.of())), InvalidJwtException.BAD_SIGNATURE);
    }

    // --- JV-2: key source ----------------------------------------------------------------------------

    @Test
    void validateWhenSelfSignedTokenClaimsTrustedIssuerThenRejected() throws Exception {
        JWTClaimsSet claims = claims().issuer(oauth.issuerUrl("default").toString()).build();
        String unknownKid = sign(new RSASSASigner(attackerKey), new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID("attacker-1").build(), claims);
        String realKid = JWKSet.parse(HTTP.getJson(URI.create(oauth.jwksUrl("default").toString()))).getKeys().get(0).getKeyID();
        String stolenKid = sign(new RSASSASigner(attackerKey), new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(realKid).build(), claims);

        assertRejected(unknownKid, List.of(mock("default", List.of())), InvalidJwtException.UNKNOWN_KEY);
        assertRejected(stolenKid, List.of(mock("default", List.of())), InvalidJwtException.BAD_SIGNATURE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../dev/null", "' OR 1=1", "' OR '1'='1' --", "%00", ""})
    void validateWhenKidIsInjectionPayloadThenUnknownKey(String kid) throws Exception {
        String token = sign(new RSASSASigner(attackerKey), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(),
                claims().build());

        assertRejected(token, List.of(own(List.of())), InvalidJwtException.UNKNOWN_KEY);
    }

    @Test
    void validateWhenJkuX5uAndJwkHeadersCarryAttackerKeyThenRejectedWithoutFetchingThem() throws Exception {
        URI attackerUrl = URI.create("http://127.0.0.1:" + attackerServer.getAddress().getPort() + "/jwks");
        JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.RS256).jwkURL(attackerUrl)
                .x509CertURL(attackerUrl).jwk(attackerKey.toPublicJWK());
        String attackerKid = sign(new RSASSASigner(attackerKey), header.keyID("attacker-1").build(), claims().build());
        String ownKid = sign(new RSASSASigner(attackerKey), header.keyID("own-1").build(), claims().build());

        assertRejected(attackerKid, List.of(own(List.of())), InvalidJwtException.UNKNOWN_KEY);
        assertRejected(ownKid, List.of(own(List.of())), InvalidJwtException.BAD_SIGNATURE);
        assertThat(attackerHits).hasValue(0);
    }

    @Test
    void validateWhenKeyRotatedThenNewKidAcceptedAfterOneRefresh() throws Exception {
        validator.validate(signOwn(claims().build()), List.of(own(List.of())));
        served.put("/jwks", new JWKSet(List.<JWK>of(ownKey.toPublicJWK(), rotatedKey.toPublicJWK())).toString());
        String rotated = sign(new RSASSASigner(rotatedKey), new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("own-2")
                .build(), claims().build());

        assertThat(validator.validate(rotated, List.of(own(List.of()))).subject()).isEqualTo("alice");
        assertThat(keyServerHits.get("/jwks")).hasValue(2);
    }

    @Test
    void validateWhenManyUnknownKidsThenJwksRefreshIsRateLimited() throws Exception {
        validator.validate(signOwn(claims().build()), List.of(own(List.of())));
        for (int i = 0; i < 50; i++) {
            String token = sign(new RSASSASigner(attackerKey), new JWSHeader.Builder(JWSAlgorithm.RS256)
                    .keyID(UUID.randomUUID().toString()).build(), claims().build());
            assertRejected(token, List.of(own(List.of())), InvalidJwtException.UNKNOWN_KEY);
        }

        assertThat(keyServerHits.get("/jwks").get()).isLessThanOrEqualTo(2);
    }

    @Test
    void validateWhenCalledRepeatedlyThenDiscoveryAndJwksFetchedOnce() throws Exception {
        served.put("/discovery", "{\"issuer\":\"" + OWN_ISSUER + "\",\"jwks_uri\":\"" + keyServerUrl("/jwks") + "\"}");
        TrustedIssuer discovered = new TrustedIssuer(OWN_ISSUER, keyServerUrl("/discovery"), null, List.of(), null);
        for (int i = 0; i < 5; i++) {
            validator.validate(signOwn(claims().build()), List.of(discovered));
        }

        assertThat(keyServerHits.get("/discovery")).hasValue(1);
        assertThat(keyServerHits.get("/jwks")).hasValue(1);
    }

    @Test
    void validateWhenDiscoveryNamesAnotherIssuerThenJwksUnavailable() throws Exception {
        TrustedIssuer mismatched = new TrustedIssuer(OWN_ISSUER, oauth.wellKnownUrl("default").toString(), null,
                List.of(), null);

        assertRejected(signOwn(claims().build()), List.of(mismatched), InvalidJwtException.JWKS_UNAVAILABLE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/missing", "http://169.254.169.254/latest/meta-data/jwks"})
    void validateWhenJwksUnreachableOrRefusedByGuardThenJwksUnavailable(String jwksUri) throws Exception {
        String url = jwksUri.startsWith("/") ? keyServerUrl(jwksUri) : jwksUri;
        TrustedIssuer issuer = new TrustedIssuer(OWN_ISSUER, null, url, List.of(), null);

        assertRejected(signOwn(claims().build()), List.of(issuer), InvalidJwtException.JWKS_UNAVAILABLE);
    }

    // --- JV-3: claims --------------------------------------------------------------------------------

    @Test
    void validateWhenTokenFromUntrustedIssuerThenUntrustedIssuerNamingTrustedOnes() {
        InvalidJwtException e = assertRejected(mockToken("other", "alice"), List.of(mock("default", List.of())),
                InvalidJwtException.UNTRUSTED_ISSUER);

        assertThat(e.getMessage()).contains(oauth.issuerUrl("default").toString())
                .doesNotContain(oauth.issuerUrl("other").toString());
    }

    @Test
    void validateWhenExpiredBy61SecondsThenExpired() throws Exception {
        Instant exp = now.minusSeconds(61);
        InvalidJwtException e = assertRejected(signOwn(claims().expirationTime(Date.from(exp)).build()),
                List.of(own(List.of())), InvalidJwtException.EXPIRED);

        assertThat(e.getMessage()).contains(exp.toString()).contains(OWN_ISSUER);
    }

    @ParameterizedTest
    @ValueSource(ints = {30, 60})
    void validateWhenExpiredWithinLeewayThenAccepted(int secondsAgo) throws Exception {
        String token = signOwn(claims().expirationTime(Date.from(now.minusSeconds(secondsAgo))).build());

        assertThat(validator.validate(token, List.of(own(List.of()))).subject()).isEqualTo("alice");
    }

    @Test
    void validateWhenNotBeforeInFiveMinutesThenNotYetValid() throws Exception {
        String token = signOwn(claims().notBeforeTime(Date.from(now.plusSeconds(300))).build());

        assertRejected(token, List.of(own(List.of())), InvalidJwtException.NOT_YET_VALID);
    }

    @Test
    void validateWhenIssuedTenMinutesInFutureThenIssuedInFuture() throws Exception {
        String token = signOwn(claims().issueTime(Date.from(now.plusSeconds(600))).build());

        assertRejected(token, List.of(own(List.of())), InvalidJwtException.ISSUED_IN_FUTURE);
    }

    @Test
    void validateWhenExpOrSubMissingThenMissingClaim() throws Exception {
        String noExp = signOwn(claims().expirationTime(null).build());
        String noSub = signOwn(claims().subject(null).build());

        assertRejected(noExp, List.of(own(List.of())), InvalidJwtException.MISSING_CLAIM);
        assertRejected(noSub, List.of(own(List.of())), InvalidJwtException.MISSING_CLAIM);
    }

    @Test
    void validateWhenAudienceIsAnotherServerOrMissingThenWrongAudience() throws Exception {
        String other = signOwn(claims().audience("https://other.example").build());
        String none = signOwn(claims().audience((String) null).build());

        assertRejected(other, List.of(own(List.of(AUDIENCE))), InvalidJwtException.WRONG_AUDIENCE);
        assertRejected(none, List.of(own(List.of(AUDIENCE))), InvalidJwtException.WRONG_AUDIENCE);
    }

    // --- malformed input and fail-closed -------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "a.b.c", "....", "Bearer x.y.z", " "})
    void validateWhenNotAJwtThenMalformed(String token) {
        assertRejected(token, List.of(own(List.of())), InvalidJwtException.MALFORMED);
    }

    @Test
    void validateWhenEncryptedJwtThenMalformed() throws Exception {
        EncryptedJWT jwe = new EncryptedJWT(new JWEHeader(JWEAlgorithm.RSA_OAEP_256, EncryptionMethod.A256GCM),
                claims().build());
        jwe.encrypt(new RSAEncrypter(ownKey.toRSAPublicKey()));

        assertRejected(jwe.serialize(), List.of(own(List.of())), InvalidJwtException.MALFORMED);
    }

    @Test
    void validateWhenHeaderIs16KilobytesThenMalformed() throws Exception {
        String header = b64("{\"alg\":\"RS256\",\"kid\":\"own-1\",\"x\":\"" + "A".repeat(16 * 1024) + "\"}");
        String[] parts = signOwn(claims().build()).split("\\.");

        assertRejected(header + "." + parts[1] + "." + parts[2], List.of(own(List.of())), InvalidJwtException.MALFORMED);
    }

    @Test
    void validateWhenNullTokenThenMalformed() {
        assertThatThrownBy(() -> validator.validate(null, List.of(own(List.of()))))
                .isInstanceOfSatisfying(InvalidJwtException.class, e -> assertThat(e.reason()).isEqualTo("MALFORMED"));
    }

    @Test
    void validateWhenUnexpectedExceptionInsideThenRejected() throws Exception {
        Clock broken = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                throw new IllegalStateException("injected failure");
            }
        };
        validator = new JwtValidator(HTTP, broken);

        assertRejected(signOwn(claims().build()), List.of(own(List.of())), InvalidJwtException.MALFORMED);
    }

    // --- TrustedIssuer -------------------------------------------------------------------------------

    @Test
    void trustedIssuerWhenNoOrBothKeyLocationsThenIllegalArgument() {
        assertThatThrownBy(() -> new TrustedIssuer(OWN_ISSUER, null, null, List.of(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TrustedIssuer(OWN_ISSUER, "https://a/d", "https://a/j", List.of(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TrustedIssuer(" ", null, "https://a/j", List.of(), null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "HS256", "HS512", "RSA-OAEP", "nonsense"})
    void trustedIssuerWhenAlgorithmNotAsymmetricSignatureThenIllegalArgument(String algorithm) {
        assertThatThrownBy(() -> new TrustedIssuer(OWN_ISSUER, null, "https://a/j", List.of(), List.of(algorithm)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("asymmetric");
    }

    @Test
    void trustedIssuerWhenAlgorithmsNullThenAsymmetricDefaults() {
        TrustedIssuer issuer = new TrustedIssuer(OWN_ISSUER, null, "https://a/j", null, null);

        assertThat(issuer.algorithms()).containsExactlyElementsOf(TrustedIssuer.DEFAULT_ALGORITHMS)
                .doesNotContain("none", "HS256").contains("RS256", "ES256", "EdDSA");
        assertThat(issuer.audiences()).isEmpty();
    }
}
