package io.keygate.store;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A {@link ResourceStore} that tells {@link ResourceChanges} about every write after it is done (and
 * also after a write that failed, since a failed update may mean the record changed elsewhere).
 */
public final class WatchedResourceStore implements ResourceStore {
    private final ResourceStore delegate;
    private final ResourceChanges changes;

    public WatchedResourceStore(ResourceStore delegate, ResourceChanges changes) {
        this.delegate = Objects.requireNonNull(delegate, "delegate must not be null");
        this.changes = Objects.requireNonNull(changes, "changes must not be null");
    }

    @Override
    public boolean insert(ResourceRecord record) {
        return telling(record.kind(), record.name(), () -> delegate.insert(record));
    }

    @Override
    public Optional<ResourceRecord> find(String kind, String name) {
        return delegate.find(kind, name);
    }

    @Override
    public boolean update(ResourceRecord record) {
        return telling(record.kind(), record.name(), () -> delegate.update(record));
    }

    @Override
    public boolean commit(List<ResourceWrite> writes) {
        try {
            return delegate.commit(writes);
        } finally {
            writes.forEach(write -> changes.changed(write.record().kind(), write.record().name()));
        }
    }

    @Override
    public boolean delete(String kind, String name) {
        return telling(kind, name, () -> delegate.delete(kind, name));
    }

    @Override
    public List<ResourceRecord> list(String kind, String afterName, int limit) {
        return delegate.list(kind, afterName, limit);
    }

    @Override
    public List<ResourceRecord> findSealedWithKeyOtherThan(int keyId, int limit) {
        return delegate.findSealedWithKeyOtherThan(keyId, limit);
    }

    @Override
    public boolean reseal(String kind, String name, int expectedKeyId, byte[] sealed, int keyId) {
        return telling(kind, name, () -> delegate.reseal(kind, name, expectedKeyId, sealed, keyId));
    }

    @Override
    public Map<Integer, Long> countSealedByKey() {
        return delegate.countSealedByKey();
    }

    private boolean telling(String kind, String name, BooleanSupplier write) {
        try {
            return write.getAsBoolean();
        } finally {
            changes.changed(kind, name);
        }
    }
}
