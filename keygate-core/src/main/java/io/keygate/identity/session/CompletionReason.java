package io.keygate.identity.session;

/**
 * Why {@code CompleteResourceTokenAuth} refused, appended to AWS's {@code Invalid or expired session}
 * message and returned as {@code reason}. Each says what happened; the message says how to fix it.
 */
public enum CompletionReason {
    SESSION_NOT_FOUND,
    SESSION_EXPIRED,
    CONSENT_NOT_FINISHED,
    AUTHORIZATION_FAILED,
    ALREADY_COMPLETED,
    USER_MISMATCH,
    WORKLOAD_NOT_PERMITTED
}
