package io.keygate.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Durable storage of {@link ResourceRecord}s: credential providers, workload identities, access keys,
 * the keyring. Every method is atomic on its own. Implementations: {@link InMemoryResourceStore} and
 * the JDBC store (SQLite, PostgreSQL); both pass the same contract suite in keygate-testkit.
 */
public interface ResourceStore {

    /** Inserts a new record at version 1. Returns false and changes nothing when kind+name exists. */
    boolean insert(ResourceRecord record);

    Optional<ResourceRecord> find(String kind, String name);

    /**
     * Replaces document and sealed secret of an existing record if its version is still
     * {@code record.version()}; the stored version becomes {@code version + 1}. Returns false (nothing
     * written) when the record is gone or was changed meanwhile.
     */
    boolean update(ResourceRecord record);

    /**
     * Applies every write or none, in one transaction: returns false (nothing written) when any
     * insert meets an existing record or any update meets a changed or missing one.
     */
    boolean commit(java.util.List<ResourceWrite> writes);

    /** Deletes; returns false when there was nothing to delete. */
    boolean delete(String kind, String name);

    /** Up to {@code limit} records of a kind ordered by name, starting after {@code afterName} (null: from the start). */
    List<ResourceRecord> list(String kind, String afterName, int limit);

    /** Up to {@code limit} records whose sealed secret is wrapped by a key other than {@code keyId}. */
    List<ResourceRecord> findSealedWithKeyOtherThan(int keyId, int limit);

    /**
     * Swaps the sealed secret of a record only if it is still wrapped by {@code expectedKeyId}; keeps
     * version and timestamps (re-encryption is not a change of content). Returns false otherwise.
     */
    boolean reseal(String kind, String name, int expectedKeyId, byte[] sealed, int keyId);

    /** How many sealed secrets each key wraps. */
    Map<Integer, Long> countSealedByKey();
}
