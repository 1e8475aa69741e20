package io.keygate.gateway;

import java.util.Objects;

/**
 * A call broke one of the target's bounds (time, size, concurrent calls), or the target refused
 * Keygate's credential. The message says what happened and is safe to show (no credential); {@link #reason()}
 * tells the gateway which fix to suggest and which outcome to audit.
 */
public final class TargetCallException extends RuntimeException {
    /** What went wrong; the name is the audit outcome. */
    public enum Reason { TARGET_TIMEOUT, TARGET_RESPONSE_TOO_LARGE, TARGET_REFUSED_CREDENTIAL, TARGET_BUSY }

    private final Reason reason;

    public TargetCallException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason must not be null");
    }

    public Reason reason() {
        return reason;
    }
}
