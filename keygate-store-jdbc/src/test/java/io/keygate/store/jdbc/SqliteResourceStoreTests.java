package io.keygate.store.jdbc;

import io.keygate.store.ResourceStore;
import io.keygate.testkit.ResourceStoreContractTests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The resource store contract on a SQLite file, migrated by Flyway. */
class SqliteResourceStoreTests extends ResourceStoreContractTests {
    @TempDir
    Path directory;
    private JdbcDatabase database;

    @Override
    protected ResourceStore newStore() {
        database = JdbcDatabase.open("jdbc:sqlite:" + directory.resolve("keygate.db"), null, null);
        return new JdbcResourceStore(database);
    }

    @AfterEach
    void close() {
        database.close();
    }
}
