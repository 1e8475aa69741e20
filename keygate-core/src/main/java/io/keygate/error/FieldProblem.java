package io.keygate.error;

import java.util.Objects;

/**
 * One invalid input field, named as on the wire, with what to fix. Mirrors the AWS
 * {@code ValidationExceptionField} shape ({@code name}, {@code message}).
 */
public record FieldProblem(String name, String message) {
    public FieldProblem {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(message, "message must not be null");
    }
}
