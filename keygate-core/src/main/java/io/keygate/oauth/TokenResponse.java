package io.keygate.oauth;

/**
 * What a token endpoint answered with a definite outcome: either tokens ({@link TokenSuccess}) or an
 * OAuth error ({@link TokenError}). Outcomes that are not definite (5xx, 429, network failures,
 * timeouts) are thrown as {@link TransientTokenException} instead, so a caller cannot mistake an
 * outage for a revocation (security.md TV-6, §3.4).
 */
public sealed interface TokenResponse permits TokenSuccess, TokenError {
}
