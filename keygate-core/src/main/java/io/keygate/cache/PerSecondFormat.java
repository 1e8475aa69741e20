package io.keygate.cache;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * A date-time text formatted once per second and reused within it, for texts written on every request
 * (the {@code Date} header, audit record names): the formatter runs once a second, not once a request.
 */
public final class PerSecondFormat {
    private final DateTimeFormatter formatter;
    private volatile Formatted last = new Formatted(Long.MIN_VALUE, "");

    /** @param formatter a pattern down to the second at most, with a zone (instants have none) */
    public PerSecondFormat(DateTimeFormatter formatter) {
        this.formatter = Objects.requireNonNull(formatter, "formatter must not be null");
        if (formatter.getZone() == null) {
            throw new DateTimeException("the formatter needs a zone to format instants");
        }
    }

    /** The text of {@code at}'s whole second. */
    public String format(Instant at) {
        Formatted current = last;
        if (current.epochSecond() != at.getEpochSecond()) {
            current = new Formatted(at.getEpochSecond(), formatter.format(Instant.ofEpochSecond(at.getEpochSecond())));
            last = current;
        }
        return current.text();
    }

    private record Formatted(long epochSecond, String text) {
    }
}
