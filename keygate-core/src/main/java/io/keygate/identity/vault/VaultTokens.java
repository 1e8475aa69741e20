package io.keygate.identity.vault;

/**
 * The sealed half of a vault entry. The refresh token never leaves the vault (security.md TV-10).
 * {@link #toString()} shows neither token.
 */
public record VaultTokens(String accessToken, String refreshToken) {
    @Override
    public String toString() {
        return "VaultTokens[redacted]";
    }
}
