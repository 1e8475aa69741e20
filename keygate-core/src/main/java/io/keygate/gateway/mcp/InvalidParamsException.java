package io.keygate.gateway.mcp;

/**
 * Thrown by handlers for a -32602 answer; the message is ours (never client input) and is sent as is.
 * No stack trace: it is an expected outcome, not a fault.
 */
final class InvalidParamsException extends RuntimeException {

    InvalidParamsException(String problem) {
        super(problem, null, false, false);
    }
}
