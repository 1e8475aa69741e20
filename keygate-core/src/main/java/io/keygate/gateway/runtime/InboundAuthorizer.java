package io.keygate.gateway.runtime;

import io.keygate.cache.ReadCache;
import io.keygate.gateway.AuthorizerConfiguration;
import io.keygate.gateway.Gateway;
import io.keygate.identity.principal.Hashes;
import io.keygate.oauth.jwt.InvalidJwtException;
import io.keygate.oauth.jwt.JwtValidator;
import io.keygate.oauth.jwt.TrustedIssuer;
import io.keygate.oauth.jwt.ValidatedJwt;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The gateway's inbound authorizer. {@code CUSTOM_JWT}: the bearer token must validate against the
 * discovery URL's issuer and keys (JV-1..JV-3), carry an allowed audience, an allowed {@code client_id},
 * at least one allowed scope, and satisfy every custom claim rule (EQUALS, CONTAINS, CONTAINS_ANY).
 * {@code NONE}: everyone is the same anonymous caller.
 *
 * <p>A token whose signature and claims validated is remembered, keyed by the SHA-256 of the token and
 * the issuer settings it was checked against, until it expires or for {@link #MAX_REMEMBERED} at most
 * (so a key removed from the issuer's JWK set stops being honoured within that time). Only the same
 * token finds the entry, so nothing is shared between callers; the client, scope and claim rules are
 * applied to every request, so a change of the gateway's rules applies at once.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/inbound-jwt-authorizer.html">Inbound JWT authorizer</a>
 */
public final class InboundAuthorizer {
    private static final String WELL_KNOWN = "/.well-known/openid-configuration";
    /** How long a validated token is remembered at most. */
    public static final Duration MAX_REMEMBERED = Duration.ofSeconds(60);
    private final JwtValidator validator;
    private final ReadCache<String, ValidatedJwt> validated;

    public InboundAuthorizer(JwtValidator validator, Clock clock) {
        this.validator = Objects.requireNonNull(validator, "validator must not be null");
        Objects.requireNonNull(clock, "clock must not be null");
        this.validated = ReadCache.untilExpiry(clock, 10_000, MAX_REMEMBERED, ValidatedJwt::expiresAt);
    }

    public InboundCaller authorize(Gateway gateway, String authorizationHeader) {
        if ("NONE".equals(gateway.authorizerType())) {
            return InboundCaller.anonymous();
        }
        AuthorizerConfiguration.CustomJwtAuthorizer config = gateway.authorizerConfiguration().customJWTAuthorizer();
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new InboundAuthException(401, null, "this gateway needs an OAuth bearer token from " + issuer(config));
        }
        String token = authorizationHeader.substring(7).trim();
        ValidatedJwt jwt = validate(token, config);
        checkClient(config, jwt);
        checkScopes(config, jwt);
        checkCustomClaims(config, jwt);
        return new InboundCaller("jwt:" + jwt.issuer() + "|" + jwt.subject(), jwt.issuer(), jwt.subject(), token);
    }

    private ValidatedJwt validate(String token, AuthorizerConfiguration.CustomJwtAuthorizer config) {
        List<String> audiences = orEmpty(config.allowedAudience());
        String key = Hashes.sha256(token) + "\n" + config.discoveryUrl() + "\n" + String.join("\n", audiences);
        try {
            return validated.get(key, unused -> validator.validate(token, List.of(new TrustedIssuer(issuer(config),
                    config.discoveryUrl(), null, audiences, null))));
        } catch (InvalidJwtException invalid) {
            throw new InboundAuthException(401, "invalid_token", invalid.getMessage());
        }
    }

    /** The issuer a discovery URL belongs to (OpenID Connect Discovery §4). */
    public static String issuer(AuthorizerConfiguration.CustomJwtAuthorizer config) {
        String url = config.discoveryUrl();
        return url.endsWith(WELL_KNOWN) ? url.substring(0, url.length() - WELL_KNOWN.length()) : url;
    }

    private static void checkClient(AuthorizerConfiguration.CustomJwtAuthorizer config, ValidatedJwt jwt) {
        List<String> allowed = orEmpty(config.allowedClients());
        Object client = jwt.claims().getOrDefault("client_id", jwt.claims().get("azp"));
        if (!allowed.isEmpty() && (client == null || !allowed.contains(client.toString()))) {
            throw new InboundAuthException(403, "invalid_token", "the token's client_id is not one of the gateway's "
                    + "allowedClients");
        }
    }

    private static void checkScopes(AuthorizerConfiguration.CustomJwtAuthorizer config, ValidatedJwt jwt) {
        List<String> allowed = orEmpty(config.allowedScopes());
        if (allowed.isEmpty()) {
            return;
        }
        Object scope = jwt.claims().getOrDefault("scope", jwt.claims().get("scp"));
        Collection<?> granted = scope instanceof Collection<?> list ? list
                : scope == null ? List.of() : Arrays.asList(scope.toString().split(" "));
        if (granted.stream().map(Object::toString).noneMatch(allowed::contains)) {
            throw new InboundAuthException(403, "insufficient_scope", "the token carries none of the scopes "
                    + allowed + " this gateway requires");
        }
    }

    private static void checkCustomClaims(AuthorizerConfiguration.CustomJwtAuthorizer config, ValidatedJwt jwt) {
        for (AuthorizerConfiguration.CustomClaim rule : orEmpty(config.customClaims())) {
            Object value = jwt.claims().get(rule.inboundTokenClaimName());
            if (!ClaimRules.matches(rule, value)) {
                throw new InboundAuthException(403, "insufficient_scope", "the token's claim '"
                        + rule.inboundTokenClaimName() + "' does not satisfy the gateway's rule");
            }
        }
    }

    private static <T> List<T> orEmpty(List<T> values) {
        return values == null ? List.of() : values;
    }
}
