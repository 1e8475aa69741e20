package io.keygate.gateway.mcp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link LogSafe}: client values stay on one log line and short (security.md LG-3, B16). */
class LogSafeTests {

    @Test
    void ofWhenValueHasLineBreaksAndControlsThenReplaced() {
        assertThat(LogSafe.of("a\r\nb\u0000c\u001b[31md\u2028e")).isEqualTo("a??b?c?[31md?e");
    }

    @Test
    void ofWhenValueLongerThanLimitThenCut() {
        assertThat(LogSafe.of("x".repeat(10_000))).isEqualTo("x".repeat(80) + "...");
    }

    @Test
    void ofWhenNullThenNullText() {
        assertThat(LogSafe.of(null)).isEqualTo("null");
    }
}
