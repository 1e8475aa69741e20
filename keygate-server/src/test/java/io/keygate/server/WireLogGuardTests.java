package io.keygate.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link WireLogGuard} (security.md LG-1): wire loggers never log below INFO, whatever they are set to. */
class WireLogGuardTests {
    private final LoggerContext context = new LoggerContext();
    private final WireLogGuard guard = new WireLogGuard();

    @Test
    void decideWhenAWireLoggerIsSetToDebugThenDebugIsDenied() {
        Logger jetty = context.getLogger("org.eclipse.jetty.io.ChannelEndPoint");
        jetty.setLevel(Level.DEBUG);

        assertThat(guard.decide(null, jetty, Level.DEBUG, "bytes", null, null)).isEqualTo(FilterReply.DENY);
        assertThat(guard.decide(null, jetty, Level.INFO, "started", null, null)).isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void decideWhenTheTargetClientsHeaderLogIsSetToDebugThenDebugIsDenied() {
        // Apache HttpClient logs each request's headers there, with the outbound credential of a target call
        for (String name : new String[]{"org.apache.hc.client5.http.headers", "org.apache.hc.client5.http.wire"}) {
            Logger client = context.getLogger(name);
            client.setLevel(Level.DEBUG);

            assertThat(guard.decide(null, client, Level.DEBUG, "X-Api-Key: secret", null, null)).isEqualTo(FilterReply.DENY);
        }
    }

    @Test
    void decideWhenTheLoggerRefusesTheLevelAnywayThenLeavesItToTheLogger() {
        Logger jetty = context.getLogger("org.eclipse.jetty.server.HttpChannel");
        jetty.setLevel(Level.WARN);

        assertThat(guard.decide(null, jetty, Level.DEBUG, "bytes", null, null)).isEqualTo(FilterReply.NEUTRAL);
        assertThat(jetty.isDebugEnabled()).isFalse();
    }

    @Test
    void decideWhenAnotherLoggerIsSetToDebugThenDebugIsAllowed() {
        Logger keygate = context.getLogger("io.keygate.gateway");
        keygate.setLevel(Level.DEBUG);

        assertThat(guard.decide(null, keygate, Level.DEBUG, "detail", null, null)).isEqualTo(FilterReply.NEUTRAL);
    }
}
