package io.keygate.oauth;

import java.time.Instant;
import java.util.Objects;

/**
 * A successful access token response (RFC 6749 §5.1, https://www.rfc-editor.org/rfc/rfc6749#section-5.1).
 *
 * @param accessToken  the access token
 * @param refreshToken the refresh token, or null when the server issued none; after a refresh the caller
 *                     must then keep the refresh token it already holds (RFC 6749 §6, security.md TV-5)
 * @param expiresAt    when the access token expires, from {@code expires_in} and the client's clock taken
 *                     before the request was sent; null when the server did not say
 * @param scope        the granted scope, space-separated, or null when the server did not say
 * @param idToken      the OpenID Connect ID token, or null
 * @param tokenType    the token type, e.g. {@code Bearer}
 */
public record TokenSuccess(String accessToken, String refreshToken, Instant expiresAt, String scope, String idToken,
                           String tokenType) implements TokenResponse {
    public TokenSuccess {
        Objects.requireNonNull(accessToken, "accessToken must not be null");
        Objects.requireNonNull(tokenType, "tokenType must not be null");
    }

    /** Omits every token value, so a response can be logged (security.md LG-1). */
    @Override
    public String toString() {
        return "TokenSuccess[accessToken=***, refreshToken=" + (refreshToken == null ? "none" : "***")
                + ", expiresAt=" + expiresAt + ", scope=" + scope + ", idToken=" + (idToken == null ? "none" : "***")
                + ", tokenType=" + tokenType + "]";
    }
}
