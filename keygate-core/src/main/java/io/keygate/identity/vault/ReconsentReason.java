package io.keygate.identity.vault;

/**
 * Why a vault entry needs the user's consent again, as stored in {@link VaultEntry#needsReauth()}: an
 * RFC 6749 §5.2 error code from the token endpoint, or one of Keygate's own codes below. Each has a
 * message that says what happened and what fixes it (security.md TV-6, F2, F3).
 */
public final class ReconsentReason {
    /** A refresh was sent but its answer was lost, and the provider's replay window has passed. */
    public static final String REFRESH_OUTCOME_UNKNOWN = "refresh_outcome_unknown";
    /** The provider issued no refresh token with the grant, so it cannot be renewed. */
    public static final String NO_REFRESH_TOKEN = "no_refresh_token";

    private ReconsentReason() {
    }

    /** A sentence for the caller; never contains a token. */
    public static String describe(String reason, String provider) {
        return switch (reason) {
            case REFRESH_OUTCOME_UNKNOWN -> "a refresh of the token for '" + provider + "' was sent but its answer was "
                    + "lost, and the provider's replay window (refreshReplayGraceSeconds) has passed, so the rotated "
                    + "token cannot be recovered: the user must consent again";
            case NO_REFRESH_TOKEN -> "'" + provider + "' issued no refresh token with the grant and the access token "
                    + "expired: the user must consent again (ask for offline access, e.g. the offline_access scope, "
                    + "to get a refresh token)";
            case "invalid_client", "unauthorized_client" -> "'" + provider + "' no longer accepts Keygate's client ("
                    + reason + "): fix the credential provider's clientId and clientSecret, then the user must consent again";
            case "invalid_scope" -> "'" + provider + "' refused the granted scopes on refresh (invalid_scope): the user "
                    + "must consent again to the scopes asked for";
            default -> "'" + provider + "' refused the stored refresh token (" + reason + "): the user revoked access, or "
                    + "the token expired or was used elsewhere; the user must consent again";
        };
    }
}
