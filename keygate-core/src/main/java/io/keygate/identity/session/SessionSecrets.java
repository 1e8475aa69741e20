package io.keygate.identity.session;

import java.time.Instant;

/**
 * The sealed half of an auth session: the handle itself, the values that protect the redirect
 * (state, PKCE verifier, nonce), the application's custom state, and — between callback and binding —
 * the tokens. {@link #toString()} shows none of them.
 *
 * @param accessTokenExpiresAt when the held access token expires, or null
 */
public record SessionSecrets(String sessionUri, String state, String codeVerifier, String nonce, String customState,
                             String accessToken, String refreshToken, Instant accessTokenExpiresAt,
                             String grantedScope) {

    public SessionSecrets withTokens(String newAccessToken, String newRefreshToken, Instant expiresAt, String scope) {
        return new SessionSecrets(sessionUri, state, codeVerifier, nonce, customState, newAccessToken, newRefreshToken,
                expiresAt, scope);
    }

    /** The secrets once the tokens moved to the vault (or were discarded). */
    public SessionSecrets withoutTokens() {
        return new SessionSecrets(sessionUri, state, codeVerifier, nonce, customState, null, null, null, null);
    }

    @Override
    public String toString() {
        return "SessionSecrets[redacted]";
    }
}
