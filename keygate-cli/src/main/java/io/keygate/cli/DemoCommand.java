package io.keygate.cli;

import ch.qos.logback.classic.Level;
import io.keygate.demo.Demo;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * {@code keygate demo}: Keygate with a demo IdP, a demo MCP server and a demo agent page, on a
 * temporary data directory that is deleted on exit; prints the one URL to open.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the 3-legged OAuth demo: open the printed URL, call the tool, consent, see the result. "
                + "Loopback only; everything is thrown away on exit (Ctrl-C).")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--port", description = "Port of the demo page (default 8700; 0 picks a free one).")
    int port = 8700;
    @Option(names = "--keygate-port", description = "Port of Keygate itself (default 0: a free one).")
    int keygatePort;

    @Override
    public Integer call() throws Exception {
        if (System.getenv("KEYGATE_LOG_LEVEL") == null) {
            // the demo's screen is the page; Keygate's start-up notes would only bury the URL
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.keygate")).setLevel(Level.WARN);
        }
        Path dataDir = Files.createTempDirectory("keygate-demo-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        // the hook is in place before anything starts, so Ctrl-C during start-up also removes the directory
        AtomicReference<Demo> running = new AtomicReference<>();
        StopSignal stop = new StopSignal("keygate demo", () -> {
            if (running.get() != null) {
                running.get().close();
            }
        }, () -> delete(dataDir));
        Demo demo;
        try {
            demo = Demo.start(port, keygatePort, dataDir);
        } catch (Exception | Error failure) {
            if (failure.getCause() instanceof java.net.BindException) {
                throw new IllegalStateException(failure.getMessage() + ": the port is taken; pass --port (demo page) or "
                        + "--keygate-port another port, or 0 for a free one", failure);
            }
            throw failure;
        }
        running.set(demo);
        System.out.println("Keygate demo running. Open " + demo.url() + " in a browser (Ctrl-C stops it).");
        System.out.flush();
        stop.await();
        return 0;
    }

    private static void delete(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("keygate demo: could not delete " + directory + ": " + e.getMessage());
        }
    }
}
