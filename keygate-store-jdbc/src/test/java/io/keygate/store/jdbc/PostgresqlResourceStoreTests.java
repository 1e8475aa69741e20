package io.keygate.store.jdbc;

import io.keygate.store.ResourceStore;
import io.keygate.testkit.TestPostgres;
import io.keygate.testkit.ResourceStoreContractTests;
import org.junit.jupiter.api.AfterEach;

/** The resource store contract on a real PostgreSQL (embedded binaries), migrated by Flyway. */
class PostgresqlResourceStoreTests extends ResourceStoreContractTests {
    private JdbcDatabase database;

    @Override
    protected ResourceStore newStore() {
        database = JdbcDatabase.open(TestPostgres.newDatabase(), "postgres", "postgres");
        return new JdbcResourceStore(database);
    }

    @AfterEach
    void close() {
        database.close();
    }
}
