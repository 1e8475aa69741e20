package io.keygate.oauth;

import java.time.Duration;

/**
 * A token endpoint call whose outcome was not definite: HTTP 5xx, HTTP 429, a network failure or a
 * timeout. The grant the caller holds is still good as far as Keygate knows, so it must be kept and the
 * call retried later, never treated as a revocation (security.md TV-6, §3.4). The message names the
 * endpoint host and the kind of failure, never a token.
 */
public final class TransientTokenException extends RuntimeException {
    private final int httpStatus;
    private final Duration retryAfter;
    private final boolean outcomeUnknown;

    /**
     * @param message        names the endpoint host and the kind of failure
     * @param httpStatus     the HTTP status, or 0 when no HTTP response was read
     * @param retryAfter     the server's {@code Retry-After}, or null when absent or unreadable
     * @param outcomeUnknown whether the request may have reached the server and been acted on
     * @param cause          the network exception, or null
     */
    public TransientTokenException(String message, int httpStatus, Duration retryAfter, boolean outcomeUnknown,
                                   Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.retryAfter = retryAfter;
        this.outcomeUnknown = outcomeUnknown;
    }

    /** The HTTP status (5xx or 429), or 0 for a network failure or timeout. */
    public int httpStatus() {
        return httpStatus;
    }

    /** How long the server asked to wait ({@code Retry-After}, RFC 9110 §10.2.3), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /**
     * True when the request may have been processed although no answer arrived (read timeout, connection
     * reset after sending). A refresh token may then already be rotated: retry with the same one only inside
     * the provider's replay window (security.md TV-6). False for connect failures and HTTP answers.
     */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
