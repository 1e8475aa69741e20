package io.keygate.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code keygate demo} as typed: a taken port is a one-line error that names the flag to change. */
class DemoCommandTests {

    @Test
    void demoWhenPortIsTakenThenExitOneNamingTheFlag() throws Exception {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute("demo", "--port", Integer.toString(taken.getLocalPort()));
            assertThat(code).isEqualTo(1);
        } finally {
            System.setErr(originalErr);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("keygate: Failed to bind to")
                .contains("the port is taken; pass --port (demo page) or --keygate-port another port, or 0 for a free one");
    }
}
