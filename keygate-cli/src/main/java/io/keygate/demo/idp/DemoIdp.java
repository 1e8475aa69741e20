package io.keygate.demo.idp;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.keygate.identity.principal.Hashes;

import java.net.URI;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo's OpenID provider: its signing key, registered clients, users, and the tokens it issues.
 * Access tokens are RFC 9068 JWTs whose audience is the client's resource: the agent's sign-in gets
 * tokens for the Keygate gateway, Keygate's client gets tokens for the demo "Graph" API. Everything
 * lives in memory for the life of the demo; {@link IdpServlet} is its HTTP face.
 *
 * @see <a href="https://openid.net/specs/openid-connect-core-1_0.html">OpenID Connect Core 1.0</a>
 */
public final class DemoIdp {
    /** The audience of tokens for the demo Graph API, and the scope its files endpoint needs. */
    public static final String GRAPH_AUDIENCE = "demo-graph";
    public static final String FILES_SCOPE = "files.read";
    static final Set<String> SCOPES = Set.of("openid", "profile", "email", FILES_SCOPE);
    private static final Duration ACCESS_TOKEN_TTL = Duration.ofMinutes(15);

    /** A registered client; {@code firstParty} clients skip the consent page. */
    public record Client(String clientId, String secret, Set<URI> redirectUris, String audience, boolean firstParty,
                         String displayName) {
        boolean secretMatches(String presented) {
            return presented != null && MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
                    presented.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** What a token endpoint hands out for one grant. */
    record Tokens(String accessToken, String refreshToken, String idToken, long expiresIn, String scope) {
    }

    private record Grant(String clientId, String subject, String scope) {
    }

    private final URI issuer;
    private final RSAKey key;
    private final Clock clock;
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, Grant> refreshTokens = new ConcurrentHashMap<>();
    private final DemoUsers users = new DemoUsers();

    public DemoIdp(URI issuer, Clock clock) {
        this.issuer = issuer;
        this.clock = clock;
        try {
            this.key = new RSAKeyGenerator(2048).keyID(Hashes.random(32).substring(0, 12)).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate the demo IdP's signing key", e);
        }
    }

    public URI issuer() {
        return issuer;
    }

    public URI discoveryUrl() {
        return URI.create(issuer + "/.well-known/openid-configuration");
    }

    public void register(Client client) {
        clients.put(client.clientId(), client);
    }

    Optional<Client> client(String clientId) {
        return Optional.ofNullable(clientId).map(clients::get);
    }

    DemoUsers users() {
        return users;
    }

    JWKSet publicKeys() {
        return new JWKSet(key.toPublicJWK());
    }

    /** Tokens for a code or a fresh sign-in: an access token, a refresh token, and an ID token for openid. */
    Tokens issue(Client client, DemoUsers.User user, String scope, String nonce) {
        String refreshToken = Hashes.random(32);
        refreshTokens.put(refreshToken, new Grant(client.clientId(), user.subject(), scope));
        boolean openid = List.of(scope.split(" ")).contains("openid");
        return new Tokens(accessToken(client, user, scope), refreshToken, openid ? idToken(client, user, nonce) : null,
                ACCESS_TOKEN_TTL.toSeconds(), scope);
    }

    /** A new access token for a refresh token this client holds; the refresh token stays valid. */
    Optional<Tokens> refresh(Client client, String refreshToken) {
        Grant grant = refreshToken == null ? null : refreshTokens.get(refreshToken);
        if (grant == null || !grant.clientId().equals(client.clientId())) {
            return Optional.empty();
        }
        return users.find(grant.subject()).map(user -> new Tokens(accessToken(client, user, grant.scope()), null, null,
                ACCESS_TOKEN_TTL.toSeconds(), grant.scope()));
    }

    private String accessToken(Client client, DemoUsers.User user, String scope) {
        Instant now = clock.instant();
        return sign(new JOSEObjectType("at+jwt"), new JWTClaimsSet.Builder().issuer(issuer.toString())
                .subject(user.subject()).audience(client.audience()).claim("client_id", client.clientId())
                .claim("scope", scope).issueTime(Date.from(now)).expirationTime(Date.from(now.plus(ACCESS_TOKEN_TTL)))
                .jwtID(Hashes.random(32)).build());
    }

    private String idToken(Client client, DemoUsers.User user, String nonce) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer.toString()).subject(user.subject())
                .audience(client.clientId()).issueTime(Date.from(now)).expirationTime(Date.from(now.plus(ACCESS_TOKEN_TTL)))
                .claim("name", user.name()).claim("email", user.email());
        if (nonce != null) {
            claims.claim("nonce", nonce);
        }
        return sign(JOSEObjectType.JWT, claims.build());
    }

    private String sign(JOSEObjectType type, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(type).build(),
                    claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a demo token", e);
        }
    }

    /** The claims of an access token this IdP issued for {@code audience}, unexpired; empty otherwise. */
    Optional<JWTClaimsSet> verifyAccessToken(String token, String audience) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier((type, context) -> {
            if (!new JOSEObjectType("at+jwt").equals(type)) {
                throw new com.nimbusds.jose.proc.BadJOSEException("not an access token");
            }
        });
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                new ImmutableJWKSet<>(publicKeys())));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(issuer.toString()).build(), Set.of("sub", "exp", "scope")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        });
        try {
            return Optional.of(processor.process(token, null));
        } catch (java.text.ParseException | com.nimbusds.jose.proc.BadJOSEException | JOSEException invalid) {
            return Optional.empty();
        }
    }
}
