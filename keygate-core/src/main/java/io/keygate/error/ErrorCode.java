package io.keygate.error;

/**
 * The closed catalogue of failures a core service can raise. Each surface maps these in exactly one
 * place (the AWS REST-JSON mapper, later the MCP mapper); core code never speaks HTTP.
 */
public enum ErrorCode {
    /** The request is malformed or a field breaks its constraint; the caller must change the input. */
    VALIDATION,
    /** The caller is known but may not do this. */
    ACCESS_DENIED,
    /** The caller could not be authenticated (JWT bearer missing or invalid). */
    UNAUTHORIZED,
    /** The named resource does not exist (or is not visible to the caller). */
    RESOURCE_NOT_FOUND,
    /** A resource with that identity already exists. */
    CONFLICT,
    /** The resource changed underneath the caller; retrying the read-modify-write will succeed. */
    CONCURRENT_MODIFICATION,
    /** Too many requests; retry later. */
    THROTTLING,
    /** The keyring cannot be opened: Keygate is sealed and refuses every secret read or write. */
    SEALED,
    /** A dependency outside Keygate (an IdP, a discovery document) failed. */
    DEPENDENCY_FAILED,
    /** A bug or an unexpected state; the caller sees a fixed message, the log has the details. */
    INTERNAL
}
