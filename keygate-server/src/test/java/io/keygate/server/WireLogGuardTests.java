package io.keygate.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link WireLogGuard} (security.md LG-1): wire loggers never log below INFO, whatever they are set to. */
class WireLogGuardTests {
    private final LoggerContext context = new LoggerContext();

    @Test
    void installWhenAWireLoggerIsSetToDebugThenItLogsFromInfo() {
        Logger jetty = context.getLogger("org.eclipse.jetty.io.ChannelEndPoint");
        jetty.setLevel(Level.DEBUG);

        WireLogGuard.install(context);

        assertThat(jetty.isDebugEnabled()).isFalse();
        assertThat(jetty.isInfoEnabled()).isTrue();
        assertThat(context.getLogger("org.eclipse.jetty.server.Server").isDebugEnabled()).isFalse();
    }

    @Test
    void onLevelChangeWhenTheTargetClientsHeaderLogIsSetToDebugLaterThenDebugStaysOff() {
        WireLogGuard.install(context);
        // Apache HttpClient logs each request's headers there, with the outbound credential of a target call
        for (String name : new String[]{"org.apache.hc.client5.http.headers", "org.apache.hc.client5.http.wire"}) {
            Logger client = context.getLogger(name);
            client.setLevel(Level.TRACE);

            assertThat(client.isDebugEnabled()).as(name).isFalse();
        }
    }

    @Test
    void onLevelChangeWhenTheRootIsSetToDebugLaterThenWireLoggersStayAtInfo() {
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
        WireLogGuard.install(context);

        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.DEBUG);
        context.getLogger("org.eclipse").setLevel(Level.TRACE);

        assertThat(context.getLogger("org.eclipse.jetty.http.HttpParser").isDebugEnabled()).isFalse();
        assertThat(context.getLogger("io.netty.handler.logging.LoggingHandler").isDebugEnabled()).isFalse();
        assertThat(context.getLogger("org.eclipse.other").isTraceEnabled()).isTrue();
    }

    @Test
    void onResetWhenLogbackIsReconfiguredForDebugThenWireLoggersStayAtInfo() throws JoranException {
        WireLogGuard.install(context);

        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(new ByteArrayInputStream("""
                <configuration>
                  <logger name="org.eclipse.jetty" level="TRACE"/>
                  <logger name="org.apache.hc.client5.http.headers" level="DEBUG"/>
                  <root level="DEBUG"/>
                </configuration>""".getBytes(StandardCharsets.UTF_8)));

        assertThat(context.getLogger("org.eclipse.jetty.io.SocketChannelEndPoint").isDebugEnabled()).isFalse();
        assertThat(context.getLogger("org.apache.hc.client5.http.headers").isDebugEnabled()).isFalse();
        assertThat(context.getLogger("software.amazon.awssdk.request").isDebugEnabled()).isFalse();
        assertThat(context.getLogger("io.keygate.gateway").isDebugEnabled()).isTrue();
    }

    @Test
    void onLevelChangeWhenAWireLoggerIsSetQuieterThenItStaysQuieter() {
        WireLogGuard.install(context);
        Logger jetty = context.getLogger("org.eclipse.jetty");

        jetty.setLevel(Level.WARN);

        assertThat(jetty.getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.eclipse.jetty.server.Server").isInfoEnabled()).isFalse();
    }

    @Test
    void installWhenAnotherLoggerIsSetToDebugThenItKeepsDebug() {
        Logger keygate = context.getLogger("io.keygate.gateway");
        keygate.setLevel(Level.DEBUG);
        Logger lookalike = context.getLogger("org.eclipse.jettyish");
        lookalike.setLevel(Level.DEBUG);

        WireLogGuard.install(context);

        assertThat(keygate.isDebugEnabled()).isTrue();
        assertThat(lookalike.isDebugEnabled()).isTrue();
    }
}
