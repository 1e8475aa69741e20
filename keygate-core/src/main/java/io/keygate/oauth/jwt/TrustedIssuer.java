package io.keygate.oauth.jwt;

import com.nimbusds.jose.JWSAlgorithm;

import java.util.List;
import java.util.Objects;

/**
 * An issuer whose JWTs {@link JwtValidator} accepts, and where its signing keys come from.
 *
 * <p>Keys are only ever taken from this issuer's JWK set (RFC 7517 §5), either at {@code jwksUri} or at
 * the {@code jwks_uri} of the discovery document at {@code discoveryUrl} (RFC 8414 §3, OpenID Connect
 * Discovery 1.0 §4); exactly one of the two is given. The signature algorithms come from here, never
 * from the token header (RFC 8725 §3.1, security.md JV-1), and are asymmetric only: {@code none} and
 * the HMAC family ({@code HS*}) are refused, so a public key can never serve as an HMAC secret.
 *
 * @param issuer       the exact {@code iss} value (RFC 7519 §4.1.1); compared as a plain string
 * @param discoveryUrl URL of the issuer's OpenID/OAuth metadata document, or null when {@code jwksUri} is set
 * @param jwksUri      URL of the issuer's JWK set, or null when {@code discoveryUrl} is set
 * @param audiences    accepted {@code aud} values, at least one of which the token must carry
 *                     (RFC 7519 §4.1.3); empty means the audience is not checked
 * @param algorithms   accepted JWS algorithm names (RFC 7518 §3.1); null or empty means
 *                     {@link #DEFAULT_ALGORITHMS}
 * @throws IllegalArgumentException when {@code issuer} is blank, when not exactly one of
 *                                  {@code discoveryUrl} and {@code jwksUri} is set, or when an algorithm
 *                                  is unknown, {@code none}, or symmetric
 */
public record TrustedIssuer(String issuer, String discoveryUrl, String jwksUri, List<String> audiences,
                            List<String> algorithms) {
    /** The algorithms accepted when none are configured: every asymmetric JWS algorithm of RFC 7518 and RFC 8037. */
    public static final List<String> DEFAULT_ALGORITHMS = List.of("RS256", "RS384", "RS512", "PS256", "PS384",
            "PS512", "ES256", "ES384", "ES512", "EdDSA");

    public TrustedIssuer {
        Objects.requireNonNull(issuer, "issuer must not be null");
        if (issuer.isBlank()) {
            throw new IllegalArgumentException("issuer must not be blank");
        }
        if ((discoveryUrl == null) == (jwksUri == null)) {
            throw new IllegalArgumentException("set exactly one of discoveryUrl and jwksUri for issuer " + issuer);
        }
        audiences = audiences == null ? List.of() : List.copyOf(audiences);
        algorithms = algorithms == null || algorithms.isEmpty() ? DEFAULT_ALGORITHMS : List.copyOf(algorithms);
        algorithms.forEach(name -> requireAsymmetric(issuer, name));
    }

    private static void requireAsymmetric(String issuer, String name) {
        JWSAlgorithm algorithm = JWSAlgorithm.parse(name);
        // Ed448: no verifier in Nimbus, so refuse it here rather than reject every token later
        if (!JWSAlgorithm.Family.SIGNATURE.contains(algorithm) || JWSAlgorithm.Ed448.equals(algorithm)) {
            throw new IllegalArgumentException("algorithm " + name + " is not allowed for issuer " + issuer
                    + "; use supported asymmetric algorithms only, e.g. " + String.join(", ", DEFAULT_ALGORITHMS));
        }
    }
}
