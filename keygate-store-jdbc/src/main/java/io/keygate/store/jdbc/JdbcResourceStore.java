package io.keygate.store.jdbc;

import io.keygate.store.ResourceRecord;
import io.keygate.store.ResourceStore;
import io.keygate.store.ResourceWrite;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** {@link ResourceStore} on SQLite or PostgreSQL; the same SQL runs on both. */
public final class JdbcResourceStore implements ResourceStore {
    private static final String COLUMNS = "kind, name, document, sealed, key_id, version, created_time, updated_time";
    private final Jdbi jdbi;

    public JdbcResourceStore(JdbcDatabase database) {
        this.jdbi = Objects.requireNonNull(database, "database must not be null").jdbi();
    }

    @Override
    public boolean insert(ResourceRecord record) {
        return jdbi.withHandle(handle -> insert(handle, record));
    }

    private static final String INSERT = "INSERT INTO resource (" + COLUMNS + ") "
            + "VALUES (:kind, :name, :document, :sealed, :keyId, 1, :created, :updated) ON CONFLICT (kind, name) DO NOTHING";

    private static boolean insert(Handle handle, ResourceRecord record) {
        return bind(handle.createUpdate(INSERT), record).execute() == 1;
    }

    /** Many inserts as one prepared batch (the audit trail writes them so); true when every row was new. */
    private static boolean insertAll(Handle handle, List<ResourceWrite> inserts) {
        PreparedBatch batch = handle.prepareBatch(INSERT);
        inserts.forEach(insert -> bind(batch, insert.record()).add());
        return java.util.Arrays.stream(batch.execute()).allMatch(count -> count == 1);
    }

    private static <S extends SqlStatement<S>> S bind(S statement, ResourceRecord record) {
        return statement.bind("kind", record.kind()).bind("name", record.name()).bind("document", record.document())
                .bind("sealed", record.sealed()).bind("keyId", record.keyId())
                .bind("created", nanos(record.createdTime())).bind("updated", nanos(record.updatedTime()));
    }

    @Override
    public Optional<ResourceRecord> find(String kind, String name) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM resource WHERE kind = :kind AND name = :name")
                .bind("kind", kind).bind("name", name).map(JdbcResourceStore::map).findOne());
    }

    @Override
    public boolean update(ResourceRecord record) {
        return jdbi.withHandle(handle -> update(handle, record));
    }

    private static boolean update(Handle handle, ResourceRecord record) {
        return handle.createUpdate("UPDATE resource SET document = :document, "
                        + "sealed = :sealed, key_id = :keyId, version = version + 1, updated_time = :updated "
                        + "WHERE kind = :kind AND name = :name AND version = :version")
                .bind("kind", record.kind()).bind("name", record.name()).bind("document", record.document())
                .bind("sealed", record.sealed()).bind("keyId", record.keyId())
                .bind("updated", nanos(record.updatedTime())).bind("version", record.version())
                .execute() == 1;
    }

    @Override
    public boolean commit(List<ResourceWrite> writes) {
        try {
            return jdbi.inTransaction(handle -> {
                if (writes.size() > 1 && writes.stream().allMatch(ResourceWrite.Insert.class::isInstance)) {
                    if (!insertAll(handle, writes)) {
                        throw new RolledBack();
                    }
                    return true;
                }
                for (ResourceWrite write : writes) {
                    boolean applied = write instanceof ResourceWrite.Insert
                            ? insert(handle, write.record()) : update(handle, write.record());
                    if (!applied) {
                        throw new RolledBack();
                    }
                }
                return true;
            });
        } catch (RolledBack conflict) {
            return false;
        }
    }

    /** Unwinds a commit batch whose precondition failed; JDBI rolls the transaction back. */
    private static final class RolledBack extends RuntimeException {
        RolledBack() {
            super(null, null, false, false);
        }
    }

    @Override
    public boolean delete(String kind, String name) {
        return jdbi.withHandle(handle -> handle.createUpdate("DELETE FROM resource WHERE kind = :kind AND name = :name")
                .bind("kind", kind).bind("name", name).execute()) == 1;
    }

    @Override
    public List<ResourceRecord> list(String kind, String afterName, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM resource "
                        + "WHERE kind = :kind AND name > :after ORDER BY name LIMIT :limit")
                .bind("kind", kind).bind("after", afterName == null ? "" : afterName).bind("limit", limit)
                .map(JdbcResourceStore::map).list());
    }

    @Override
    public List<ResourceRecord> findSealedWithKeyOtherThan(int keyId, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM resource "
                        + "WHERE key_id IS NOT NULL AND key_id <> :keyId ORDER BY kind, name LIMIT :limit")
                .bind("keyId", keyId).bind("limit", limit).map(JdbcResourceStore::map).list());
    }

    @Override
    public boolean reseal(String kind, String name, int expectedKeyId, byte[] sealed, int keyId) {
        return jdbi.withHandle(handle -> handle.createUpdate("UPDATE resource SET sealed = :sealed, key_id = :keyId "
                        + "WHERE kind = :kind AND name = :name AND key_id = :expected")
                .bind("sealed", sealed).bind("keyId", keyId).bind("kind", kind).bind("name", name)
                .bind("expected", expectedKeyId).execute()) == 1;
    }

    @Override
    public Map<Integer, Long> countSealedByKey() {
        Map<Integer, Long> counts = new TreeMap<>();
        jdbi.useHandle(handle -> handle.createQuery("SELECT key_id, COUNT(*) AS n FROM resource "
                        + "WHERE key_id IS NOT NULL GROUP BY key_id")
                .map((rs, ctx) -> Map.entry(rs.getInt("key_id"), rs.getLong("n")))
                .forEach(entry -> counts.put(entry.getKey(), entry.getValue())));
        return counts;
    }

    private static ResourceRecord map(ResultSet rs, StatementContext context) throws SQLException {
        int keyId = rs.getInt("key_id");
        Integer key = rs.wasNull() ? null : keyId;
        return new ResourceRecord(rs.getString("kind"), rs.getString("name"), rs.getString("document"),
                rs.getBytes("sealed"), key, rs.getLong("version"), instant(rs.getLong("created_time")),
                instant(rs.getLong("updated_time")));
    }

    private static long nanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    private static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }
}
