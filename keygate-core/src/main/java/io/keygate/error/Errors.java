package io.keygate.error;

import java.util.List;

/** Throw helpers that keep call sites short and messages consistent. */
public final class Errors {
    private Errors() {
    }

    public static ServiceException invalidField(String field, String message) {
        return new ServiceException(ErrorCode.VALIDATION, field + ": " + message, "FieldValidationFailed",
                List.of(new FieldProblem(field, message)), null, null);
    }

    public static ServiceException invalidFields(List<FieldProblem> problems) {
        StringBuilder text = new StringBuilder();
        for (FieldProblem problem : problems) {
            if (text.length() > 0) {
                text.append("; ");
            }
            text.append(problem.name()).append(": ").append(problem.message());
        }
        return new ServiceException(ErrorCode.VALIDATION, text.toString(), "FieldValidationFailed", problems, null, null);
    }

    public static ServiceException cannotParse(String message) {
        return new ServiceException(ErrorCode.VALIDATION, message, "CannotParse", null, null, null);
    }

    public static ServiceException notFound(String message) {
        return new ServiceException(ErrorCode.RESOURCE_NOT_FOUND, message);
    }

    public static ServiceException conflict(String message) {
        return new ServiceException(ErrorCode.CONFLICT, message);
    }

    public static ServiceException accessDenied(String message) {
        return new ServiceException(ErrorCode.ACCESS_DENIED, message);
    }

    public static ServiceException concurrentModification(String resource) {
        return new ServiceException(ErrorCode.CONCURRENT_MODIFICATION,
                resource + " was changed by another request at the same time; read it again and retry");
    }

    public static ServiceException sealed(String why) {
        return new ServiceException(ErrorCode.SEALED,
                "Keygate is sealed: its keyring cannot be opened, so no secret can be read or written. " + why,
                null, null, why, null);
    }

    public static ServiceException dependencyFailed(String message, String debugDetail, Throwable cause) {
        return new ServiceException(ErrorCode.DEPENDENCY_FAILED, message, null, null, debugDetail, cause);
    }

    public static ServiceException internal(String debugDetail, Throwable cause) {
        return new ServiceException(ErrorCode.INTERNAL, "Keygate failed to process the request; the server log has the details",
                null, null, debugDetail, cause);
    }
}
