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
import java.util.concurrent.CountDownLatch;
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
        Demo demo;
        try {
            demo = Demo.start(port, keygatePort, dataDir);
        } catch (IOException bindFailed) {
            delete(dataDir);
            throw new IllegalStateException("cannot start the demo: " + bindFailed.getMessage()
                    + " (is the port taken? pass --port 0 for a free one)", bindFailed);
        } catch (Exception | Error failure) {
            delete(dataDir);
            throw failure;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                demo.close();
            } catch (Exception e) {
                System.err.println("keygate demo: error while stopping: " + e.getMessage());
            } finally {
                delete(dataDir);
                stopped.countDown();
            }
        }, "keygate-demo-shutdown"));
        System.out.println("Keygate demo running. Open " + demo.url() + " in a browser (Ctrl-C stops it).");
        System.out.flush();
        stopped.await();
        return 0;
    }

    private static void delete(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.err.println("keygate demo: could not delete " + directory + ": " + e.getMessage());
        }
    }
}
