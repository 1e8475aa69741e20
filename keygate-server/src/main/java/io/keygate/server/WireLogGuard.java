package io.keygate.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Keeps request and response bytes out of the logs whatever the logging configuration says: below
 * INFO, Jetty and HTTP client libraries dump raw buffers (bodies with API keys, client secrets,
 * tokens). Installed in Logback at start, it holds those loggers at INFO or above: at once, whenever a
 * configuration sets one of them (or one below them) lower, and after every reconfiguration, so a debug
 * configuration cannot leak secrets (security.md LG-1).
 * <p>
 * A level, not a turbo filter: Jetty asks {@code isDebugEnabled()} dozens of times per request, and a
 * turbo filter runs on every one of those questions (up to 3 % of the gateway benchmark's samples); a
 * level is checked where Logback checks levels anyway. Logback's reset also drops turbo filters, and
 * not listeners that say they resist it.
 */
final class WireLogGuard implements LoggerContextListener {
    private static final List<String> WIRE_LOGGERS = List.of("org.eclipse.jetty", "software.amazon.awssdk.request",
            "software.amazon.awssdk.http", "org.apache.http.wire", "org.apache.hc.client5.http.wire",
            "org.apache.hc.client5.http.headers", "jdk.internal.httpclient", "okhttp3", "io.netty");

    static void install() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            install(context);
        }
    }

    static void install(LoggerContext context) {
        if (context.getCopyOfListenerList().stream().noneMatch(WireLogGuard.class::isInstance)) {
            context.addListener(new WireLogGuard());
        }
        holdAll(context);
    }

    /** The wire loggers themselves and every logger below them that has a level of its own. */
    private static void holdAll(LoggerContext context) {
        for (String wire : WIRE_LOGGERS) {
            hold(context.getLogger(wire));
        }
        for (Logger logger : context.getLoggerList()) {
            if (logger.getLevel() != null && isWire(logger.getName())) {
                hold(logger);
            }
        }
    }

    private static void hold(Logger logger) {
        if (!logger.getEffectiveLevel().isGreaterOrEqual(Level.INFO)) {
            logger.setLevel(Level.INFO);
        }
    }

    private static boolean isWire(String name) {
        return WIRE_LOGGERS.stream().anyMatch(wire -> isWithin(name, wire));
    }

    /** Above a wire logger: the root, or a package the wire logger is in. */
    private static boolean isAbove(String name) {
        return name.equals(Logger.ROOT_LOGGER_NAME)
                || WIRE_LOGGERS.stream().anyMatch(wire -> !wire.equals(name) && isWithin(wire, name));
    }

    /** Whether logger {@code name} is {@code ancestor} or below it (Logback's dotted hierarchy). */
    private static boolean isWithin(String name, String ancestor) {
        return name.startsWith(ancestor) && (name.length() == ancestor.length() || name.charAt(ancestor.length()) == '.');
    }

    @Override
    public void onLevelChange(Logger logger, Level level) {
        if (isWire(logger.getName())) {
            hold(logger); // calls back here with INFO, which needs nothing more
        } else if (isAbove(logger.getName())) {
            holdAll(logger.getLoggerContext()); // a wire logger without a level of its own inherits this one
        }
    }

    @Override
    public void onReset(LoggerContext context) {
        holdAll(context); // a reset sets the root to DEBUG and clears every other level
    }

    @Override
    public boolean isResetResistant() {
        return true;
    }

    @Override
    public void onStart(LoggerContext context) {
    }

    @Override
    public void onStop(LoggerContext context) {
    }
}
