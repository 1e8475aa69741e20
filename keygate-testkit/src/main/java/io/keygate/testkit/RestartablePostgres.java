package io.keygate.testkit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/**
 * A PostgreSQL server of its own that a test may stop and start again on the same port and data
 * directory while Keygate runs against it (security.md F7, a database restart under load). Unlike
 * {@link TestPostgres}, nothing else shares it.
 */
public final class RestartablePostgres implements AutoCloseable {
    private final Path dataDirectory;
    private final int port;
    private EmbeddedPostgres server;

    private RestartablePostgres(Path dataDirectory, int port) {
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /** Starts a server with its data in {@code dataDirectory} on a free port. */
    public static RestartablePostgres start(Path dataDirectory) {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for PostgreSQL", e);
        }
        RestartablePostgres postgres = new RestartablePostgres(dataDirectory, port);
        postgres.start();
        return postgres;
    }

    /** Creates a new empty database and returns its JDBC URL (user and password: postgres). */
    public synchronized String newDatabase() {
        return TestPostgres.newDatabase(server);
    }

    /** Starts the server again on the same port and data (after {@link #stop}). */
    public synchronized void start() {
        try {
            server = EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false).start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /** Stops the server (pg_ctl fast shutdown: open connections are cut); the data stays. */
    public synchronized void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not stop", e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
