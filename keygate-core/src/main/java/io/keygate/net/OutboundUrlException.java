package io.keygate.net;

/**
 * A URL that Keygate refuses to fetch. The message completes the sentence "the URL …" and says what
 * to change; the caller prefixes it with the field that holds the URL.
 */
public final class OutboundUrlException extends RuntimeException {
    public OutboundUrlException(String message) {
        super(message);
    }
}
