package io.keygate.cache;

import org.junit.jupiter.api.Test;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link PerSecondFormat}: the same text within a second, the next second's text after it. */
class PerSecondFormatTests {
    private final PerSecondFormat format = new PerSecondFormat(DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC));

    @Test
    void formatWhenInstantsWithinAndAcrossSecondsThenTextOfEachWholeSecond() {
        Instant at = Instant.parse("2026-11-26T14:28:18.999999999Z");

        assertThat(format.format(Instant.parse("2026-11-26T14:28:18Z"))).isEqualTo("Thu, 26 Nov 2026 14:28:18 GMT");
        assertThat(format.format(at)).isEqualTo("Thu, 26 Nov 2026 14:28:18 GMT");
        assertThat(format.format(at.plusNanos(1))).isEqualTo("Thu, 26 Nov 2026 14:28:19 GMT");
        assertThat(format.format(Instant.parse("2026-11-26T14:28:18.5Z"))).isEqualTo("Thu, 26 Nov 2026 14:28:18 GMT");
    }

    @Test
    void constructorWhenFormatterHasNoZoneThenRefused() {
        assertThatThrownBy(() -> new PerSecondFormat(DateTimeFormatter.ISO_LOCAL_DATE_TIME))
                .isInstanceOf(DateTimeException.class).hasMessageContaining("zone");
    }
}
