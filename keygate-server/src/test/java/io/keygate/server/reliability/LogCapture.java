package io.keygate.server.reliability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything Keygate logs during a scenario, at every level down to DEBUG, kept in memory for the canary
 * scan of invariant I5 (and kept off the console, which stays at the test configuration's level).
 */
final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final Logger logger = (Logger) LoggerFactory.getLogger("io.keygate");
    private final List<String> lines = new ArrayList<>();
    private Level previousLevel;
    private boolean previousAdditivity;

    static LogCapture capture() {
        LogCapture capture = new LogCapture();
        capture.setContext(capture.logger.getLoggerContext());
        capture.start();
        capture.previousLevel = capture.logger.getLevel();
        capture.previousAdditivity = capture.logger.isAdditive();
        capture.logger.setLevel(Level.DEBUG);
        capture.logger.setAdditive(false);
        capture.logger.addAppender(capture);
        return capture;
    }

    @Override
    protected synchronized void append(ILoggingEvent event) {
        lines.add(event.getLevel() + " " + event.getLoggerName() + " " + event.getFormattedMessage()
                + (event.getThrowableProxy() == null ? "" : "\n" + ThrowableProxyUtil.asString(event.getThrowableProxy())));
    }

    synchronized String text() {
        return String.join("\n", lines);
    }

    synchronized int size() {
        return lines.size();
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        logger.setLevel(previousLevel);
        logger.setAdditive(previousAdditivity);
        stop();
    }
}
