package io.keygate.oauth;

import java.util.Objects;
import java.util.Set;

/**
 * An error answer from a token endpoint (RFC 6749 §5.2, https://www.rfc-editor.org/rfc/rfc6749#section-5.2),
 * or {@value #INVALID_RESPONSE} when the answer was not a usable token response (a redirect, or a 2xx or
 * 4xx body that does not parse).
 *
 * @param error       the RFC 6749 §5.2 error code, e.g. {@code invalid_grant}
 * @param description the provider's {@code error_description}, or Keygate's reason for
 *                    {@value #INVALID_RESPONSE}; for debug logs only, never shown to end users
 * @param httpStatus  the HTTP status of the answer
 */
public record TokenError(String error, String description, int httpStatus) implements TokenResponse {
    /** Keygate's code for an answer that is neither tokens nor an OAuth error. */
    public static final String INVALID_RESPONSE = "invalid_response";

    private static final Set<String> TERMINAL = Set.of(
            "invalid_grant", "invalid_client", "unauthorized_client", "unsupported_grant_type", "invalid_scope");

    public TokenError {
        Objects.requireNonNull(error, "error must not be null");
    }

    /**
     * Whether retrying the same request cannot succeed: the grant or the client is dead and the user or
     * administrator has to act (security.md TV-6). {@value #INVALID_RESPONSE} and unknown codes are not
     * terminal; the caller decides how often to retry them.
     */
    public boolean isTerminal() {
        return TERMINAL.contains(error);
    }

    /**
     * Text an identity provider supplied (an {@code error} code) as a short token of safe characters, so it
     * can be echoed on a page, in the audit log and in a log line without injecting anything.
     */
    public static String safeText(String value) {
        String cleaned = value.replaceAll("[^A-Za-z0-9_.:/-]", "_");
        return cleaned.length() > 64 ? cleaned.substring(0, 64) : cleaned;
    }
}
