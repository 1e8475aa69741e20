package io.keygate.error;

import java.util.List;
import java.util.Objects;

/**
 * The one exception type of the core services. {@link #getMessage()} is the caller message: it says
 * what went wrong and how to fix it, and never contains a secret. {@link #debugDetail()} is for the
 * log only and is never serialized.
 */
public final class ServiceException extends RuntimeException {
    private final ErrorCode code;
    private final String reason;
    private final List<FieldProblem> fieldList;
    private final String debugDetail;

    public ServiceException(ErrorCode code, String callerMessage, String reason, List<FieldProblem> fieldList,
                            String debugDetail, Throwable cause) {
        super(Objects.requireNonNull(callerMessage, "callerMessage must not be null"), cause);
        this.code = Objects.requireNonNull(code, "code must not be null");
        this.reason = reason;
        this.fieldList = fieldList == null ? List.of() : List.copyOf(fieldList);
        this.debugDetail = debugDetail;
    }

    public ServiceException(ErrorCode code, String callerMessage) {
        this(code, callerMessage, null, null, null, null);
    }

    public ErrorCode code() {
        return code;
    }

    /** A machine-readable reason code (e.g. {@code FieldValidationFailed}, {@code USER_MISMATCH}), or null. */
    public String reason() {
        return reason;
    }

    public List<FieldProblem> fieldList() {
        return fieldList;
    }

    /** Detail for the log only; may name internal state but never a secret. */
    public String debugDetail() {
        return debugDetail;
    }
}
