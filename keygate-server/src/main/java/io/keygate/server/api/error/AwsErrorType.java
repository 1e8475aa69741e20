package io.keygate.server.api.error;

/**
 * The AWS error shapes Keygate answers with: the name goes into {@code x-amzn-ErrorType} and
 * {@code __type}, which the AWS SDKs map to their typed exceptions.
 *
 * @see <a href="https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html#operation-error-serialization">restJson1 errors</a>
 */
public enum AwsErrorType {
    ValidationException(400),
    UnauthorizedException(401),
    AccessDeniedException(403),
    /** AWS's answer to a request without SigV4 authentication. */
    MissingAuthenticationTokenException(403),
    /** AWS's answer to a malformed SigV4 Authorization header. */
    IncompleteSignatureException(403),
    /** AWS's answer to a signature that does not match or is outside the allowed clock skew. */
    InvalidSignatureException(403),
    /** AWS's answer to an access key id it does not know. */
    UnrecognizedClientException(403),
    ResourceNotFoundException(404),
    /** No operation is served at the requested method and path. */
    UnknownOperationException(404),
    ConflictException(409),
    ConcurrentModificationException(409),
    ThrottlingException(429),
    InternalServerException(500),
    ServiceUnavailableException(503);

    private final int status;

    AwsErrorType(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
