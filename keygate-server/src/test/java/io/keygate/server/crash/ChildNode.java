package io.keygate.server.crash;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link CrashNodeMain} child process (fault point {@code none}: only killed from outside) on the test's class path: waits until it serves, waits until
 * it reaches its fault point, and kills it with SIGKILL ({@link Process#destroyForcibly()}), so no
 * shutdown hook, finally block or connection close runs — as with {@code kill -9}.
 */
public final class ChildNode implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> markers = new LinkedBlockingQueue<>();
    private final List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
    private final int port;

    public ChildNode(Path dataDir, String databaseUrl, String publicUrl, String masterKey, String point, int occurrence)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), CrashNodeMain.class.getName(),
                dataDir.toString(), databaseUrl, publicUrl, point, Integer.toString(occurrence));
        builder.environment().put(io.keygate.crypto.MasterKeyLoader.ENVIRONMENT_VARIABLE, masterKey);
        builder.redirectErrorStream(true);
        process = builder.start();
        Thread reader = new Thread(this::read, "child-node-output");
        reader.setDaemon(true);
        reader.start();
        String ready = awaitMarker(CrashNodeMain.READY, 60);
        port = Integer.parseInt(ready.substring(CrashNodeMain.READY.length()).trim());
    }

    private void read() {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
                if (line.startsWith(CrashNodeMain.READY) || line.startsWith(CrashNodeMain.FAULT)) {
                    markers.add(line);
                }
            }
        } catch (IOException closed) {
            // the process was killed
        }
    }

    private String awaitMarker(String prefix, int seconds) throws InterruptedException {
        String marker = markers.poll(seconds, TimeUnit.SECONDS);
        if (marker == null || !marker.startsWith(prefix)) {
            throw new AssertionError("child node did not print " + prefix + " (got " + marker + "); its output:\n"
                    + String.join("\n", output));
        }
        return marker;
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** Waits until the node stands at its fault point. */
    public void awaitFault(String point) throws InterruptedException {
        awaitMarker(CrashNodeMain.FAULT + point, 60);
    }

    /** SIGKILL, then waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the child node did not die");
        }
    }

    /** The node's log lines (for the scans that no secret was printed). */
    public List<String> output() {
        return List.copyOf(output);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
