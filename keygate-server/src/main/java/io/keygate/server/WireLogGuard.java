package io.keygate.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

import java.util.List;

/**
 * Keeps request and response bytes out of the logs whatever the logging configuration says: below
 * INFO, Jetty and HTTP client libraries dump raw buffers (bodies with API keys, client secrets,
 * tokens). Installed as a Logback turbo filter at start, so a debug configuration cannot leak secrets
 * (security.md LG-1).
 */
final class WireLogGuard extends TurboFilter {
    private static final List<String> WIRE_LOGGERS = List.of("org.eclipse.jetty", "software.amazon.awssdk.request",
            "software.amazon.awssdk.http", "org.apache.http.wire", "org.apache.hc.client5.http.wire",
            "org.apache.hc.client5.http.headers", "jdk.internal.httpclient", "okhttp3", "io.netty");

    static void install() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && context.getTurboFilterList().stream().noneMatch(WireLogGuard.class::isInstance)) {
            WireLogGuard guard = new WireLogGuard();
            guard.start();
            context.addTurboFilter(guard);
        }
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        // Jetty asks isDebugEnabled() many times per request: below the logger's own level the answer is no
        // anyway, so the name comparisons run only when a configuration enabled debug output there.
        if (level != null && !level.isGreaterOrEqual(Level.INFO) && level.isGreaterOrEqual(logger.getEffectiveLevel())) {
            String name = logger.getName();
            for (String wire : WIRE_LOGGERS) {
                if (name.startsWith(wire)) {
                    return FilterReply.DENY;
                }
            }
        }
        return FilterReply.NEUTRAL;
    }
}
