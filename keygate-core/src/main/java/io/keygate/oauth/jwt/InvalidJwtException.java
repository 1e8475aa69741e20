package io.keygate.oauth.jwt;

import java.util.Objects;
import java.util.Set;

/**
 * A JWT that {@link JwtValidator} rejected. {@link #getMessage()} is safe to return to the caller: it
 * says what is wrong and what to do, and never contains the token or any part of it (a protocol layer
 * typically answers HTTP 401 with {@code WWW-Authenticate: Bearer error="invalid_token"}, RFC 6750 §3.1).
 * {@link #reason()} is a short machine-readable code for logs, metrics and audit events.
 */
public final class InvalidJwtException extends RuntimeException {
    /** Not a compact-serialized signed JWT (RFC 7515 §7.1), unparseable, or too large. */
    public static final String MALFORMED = "MALFORMED";
    /** The {@code iss} claim matches no trusted issuer. */
    public static final String UNTRUSTED_ISSUER = "UNTRUSTED_ISSUER";
    /** The header algorithm is {@code none} or not in the issuer's allowlist (RFC 8725 §3.1). */
    public static final String ALGORITHM_NOT_ALLOWED = "ALGORITHM_NOT_ALLOWED";
    /** The signature does not verify with the issuer's key. */
    public static final String BAD_SIGNATURE = "BAD_SIGNATURE";
    /** No key of the issuer's JWK set matches the header, even after a refresh. */
    public static final String UNKNOWN_KEY = "UNKNOWN_KEY";
    /** {@code exp} is past, beyond the allowed clock skew. */
    public static final String EXPIRED = "EXPIRED";
    /** {@code nbf} is in the future, beyond the allowed clock skew. */
    public static final String NOT_YET_VALID = "NOT_YET_VALID";
    /** {@code iat} is in the future, beyond the allowed clock skew. */
    public static final String ISSUED_IN_FUTURE = "ISSUED_IN_FUTURE";
    /** {@code aud} holds none of the accepted audiences. */
    public static final String WRONG_AUDIENCE = "WRONG_AUDIENCE";
    /** A required claim ({@code exp}, {@code sub}) is absent. */
    public static final String MISSING_CLAIM = "MISSING_CLAIM";
    /** The issuer's discovery document or JWK set could not be fetched or used. */
    public static final String JWKS_UNAVAILABLE = "JWKS_UNAVAILABLE";

    private static final Set<String> REASONS = Set.of(MALFORMED, UNTRUSTED_ISSUER, ALGORITHM_NOT_ALLOWED,
            BAD_SIGNATURE, UNKNOWN_KEY, EXPIRED, NOT_YET_VALID, ISSUED_IN_FUTURE, WRONG_AUDIENCE, MISSING_CLAIM,
            JWKS_UNAVAILABLE);

    private final String reason;

    /**
     * @param reason        one of the reason constants of this class
     * @param callerMessage what is wrong and what to do; must not contain the token
     * @throws IllegalArgumentException when {@code reason} is not one of the constants
     */
    public InvalidJwtException(String reason, String callerMessage) {
        super(Objects.requireNonNull(callerMessage, "callerMessage must not be null"));
        Objects.requireNonNull(reason, "reason must not be null");
        if (!REASONS.contains(reason)) {
            throw new IllegalArgumentException("unknown reason " + reason);
        }
        this.reason = reason;
    }

    /** The short reason code, one of the constants of this class, e.g. {@link #EXPIRED}. */
    public String reason() {
        return reason;
    }
}
