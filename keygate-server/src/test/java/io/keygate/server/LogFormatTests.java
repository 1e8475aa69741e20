package io.keygate.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped logging configuration keeps one event on one line whatever a value contains, so a
 * CR/LF in a state, header or name cannot forge log lines (security.md LG-3).
 */
class LogFormatTests {

    @Test
    void encodeWhenMessageHasCrLfThenOneLine() throws Exception {
        LoggerContext context = new LoggerContext();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(getClass().getResource("/logback.xml"));
        var appender = (OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent>)
                context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
        LoggingEvent event = new LoggingEvent("test", context.getLogger("io.keygate.test"), Level.WARN,
                "callback with state {}", null, new Object[]{"abc\r\n2026-11-26 INFO forged line"});
        String line = new String(appender.getEncoder().encode(event), StandardCharsets.UTF_8);
        assertThat(line.strip()).doesNotContain("\n").doesNotContain("\r").contains("forged line");
        context.stop();
    }
}
