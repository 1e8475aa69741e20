package io.keygate.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A migrated database: the connection pool, Flyway migrations for the URL's dialect, and a JDBI
 * handle factory. SQLite runs in WAL mode with a busy timeout so readers never block the writer.
 */
public final class JdbcDatabase implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final Jdbi jdbi;

    private JdbcDatabase(HikariDataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.jdbi = Jdbi.create(dataSource);
    }

    /** Opens the pool and applies pending migrations. */
    public static JdbcDatabase open(String jdbcUrl, String user, String password) {
        Dialect dialect = Dialect.of(jdbcUrl);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("keygate-" + dialect.name().toLowerCase(java.util.Locale.ROOT));
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        if (dialect == Dialect.SQLITE) {
            createParent(jdbcUrl);
            config.setMaximumPoolSize(4);
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("busy_timeout", "10000");
            config.addDataSourceProperty("synchronous", "NORMAL");
            config.addDataSourceProperty("foreign_keys", "true");
        } else {
            config.setMaximumPoolSize(16);
        }
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure().dataSource(dataSource).locations(dialect.migrationLocation()).load().migrate();
        } catch (RuntimeException migrationFailed) {
            dataSource.close();
            throw migrationFailed;
        }
        return new JdbcDatabase(dataSource, dialect);
    }

    private static void createParent(String jdbcUrl) {
        String file = jdbcUrl.substring("jdbc:sqlite:".length());
        if (file.startsWith(":memory:") || file.startsWith("file:")) {
            return;
        }
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the database directory " + parent, e);
        }
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public Dialect dialect() {
        return dialect;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
