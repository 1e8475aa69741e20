package io.keygate.cli;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code keygate demo} as typed: a taken port is a one-line error that names the flag to change. */
class DemoCommandTests {

    @Test
    void demoWhenPortIsTakenThenExitOneNamingTheFlag() throws Exception {
        KeygateCliTests.Run run;
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            run = KeygateCliTests.run("demo", "--port", Integer.toString(taken.getLocalPort()));
        }
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).startsWith("keygate: Failed to bind to")
                .contains("the port is taken; pass --port (demo page) or --keygate-port another port, or 0 for a free one");
    }
}
