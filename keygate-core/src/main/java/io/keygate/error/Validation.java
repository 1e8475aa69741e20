package io.keygate.error;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Collects every problem of one request before failing, so the caller fixes them all at once; the
 * resulting {@code ValidationException} lists each field with its constraint.
 */
public final class Validation {
    private static final Pattern TAG_PATTERN = Pattern.compile("[a-zA-Z0-9\\s._:/=+@-]*");
    private final List<FieldProblem> problems = new ArrayList<>();

    public Validation problem(String field, String message) {
        problems.add(new FieldProblem(field, message));
        return this;
    }

    /** Required string of {@code min}–{@code max} characters matching {@code pattern} (null: any). */
    public Validation required(String field, String value, int min, int max, Pattern pattern) {
        if (value == null) {
            return problem(field, "is required");
        }
        return optional(field, value, min, max, pattern);
    }

    public Validation optional(String field, String value, int min, int max, Pattern pattern) {
        if (value == null) {
            return this;
        }
        if (value.length() < min || value.length() > max) {
            return problem(field, "must be " + min + " to " + max + " characters long, got " + value.length());
        }
        if (pattern != null && !pattern.matcher(value).matches()) {
            return problem(field, "must match the pattern " + pattern.pattern());
        }
        return this;
    }

    public Validation range(String field, Integer value, int min, int max) {
        if (value != null && (value < min || value > max)) {
            problem(field, "must be from " + min + " to " + max + ", got " + value);
        }
        return this;
    }

    public Validation oneOf(String field, String value, Collection<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            problem(field, "must be one of " + allowed + ", got '" + value + "'");
        }
        return this;
    }

    /** AWS tag maps: at most 50 entries, keys 1–128, values 0–256, both of the tag alphabet. */
    public Validation tags(String field, Map<String, String> tags) {
        if (tags == null) {
            return this;
        }
        if (tags.size() > 50) {
            problem(field, "may hold at most 50 tags, got " + tags.size());
        }
        tags.forEach((key, value) -> {
            optional(field + "." + key, key, 1, 128, TAG_PATTERN);
            optional(field + "." + key, value == null ? "" : value, 0, 256, TAG_PATTERN);
        });
        return this;
    }

    public boolean hasProblems() {
        return !problems.isEmpty();
    }

    /** Throws a {@code ValidationException}-mapped error listing every problem, if there is any. */
    public void throwIfInvalid() {
        if (!problems.isEmpty()) {
            throw Errors.invalidFields(problems);
        }
    }
}
