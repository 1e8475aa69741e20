package io.keygate.oauth.jwt;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A JWT whose signature and claims {@link JwtValidator} has checked. The caller is identified by the
 * pair ({@code issuer}, {@code subject}), never by {@code subject} alone (security.md JV-3).
 *
 * @param issuer    the {@code iss} claim, equal to the {@link TrustedIssuer#issuer()} that matched
 * @param subject   the {@code sub} claim
 * @param expiresAt the {@code exp} claim
 * @param claims    every claim of the token as JSON values (RFC 7519 §4; dates as epoch seconds); read-only
 */
public record ValidatedJwt(String issuer, String subject, Instant expiresAt, Map<String, Object> claims) {
    public ValidatedJwt {
        Objects.requireNonNull(issuer, "issuer must not be null");
        Objects.requireNonNull(subject, "subject must not be null");
        Objects.requireNonNull(expiresAt, "expiresAt must not be null");
        Objects.requireNonNull(claims, "claims must not be null");
        // LinkedHashMap rather than Map.copyOf: a claim may legitimately hold JSON null
        claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims));
    }
}
