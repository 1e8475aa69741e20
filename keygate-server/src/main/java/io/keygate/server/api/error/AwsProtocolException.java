package io.keygate.server.api.error;

/**
 * A failure at the AWS protocol level, before any operation runs: SigV4 authentication, an unknown
 * operation path. Carries its AWS error type; the message names the problem and the fix and never
 * contains a secret or the expected signature.
 */
public final class AwsProtocolException extends RuntimeException {
    private final AwsErrorType type;

    public AwsProtocolException(AwsErrorType type, String message) {
        super(message);
        this.type = type;
    }

    public AwsErrorType type() {
        return type;
    }
}
