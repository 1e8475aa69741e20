package io.keygate.gateway.runtime;

/**
 * An MCP request the gateway's inbound authorizer refused: 401 with {@code WWW-Authenticate: Bearer
 * error="invalid_token"} (or no error when no token was sent), or 403 {@code insufficient_scope}
 * (security.md GW-1, RFC 6750 §3). The message is the {@code error_description}: what is wrong, never
 * the token.
 */
public final class InboundAuthException extends RuntimeException {
    private final int status;
    private final String error;

    public InboundAuthException(int status, String error, String description) {
        super(description);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    /** {@code invalid_token}, {@code insufficient_scope}, or null when the request carried no token. */
    public String error() {
        return error;
    }
}
