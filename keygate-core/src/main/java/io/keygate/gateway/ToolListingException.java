package io.keygate.gateway;

/**
 * Listing a target's tools failed. The message is safe to show to administrators: it names the endpoint
 * (without its query) and what went wrong, never a credential.
 */
public final class ToolListingException extends RuntimeException {
    public ToolListingException(String message, Throwable cause) {
        super(message, cause);
    }
}
