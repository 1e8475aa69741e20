package io.keygate.store;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
        try {
            return delegate.insert(record);
        } finally {
            changes.changed(record.kind(), record.name());
        }
    }

    @Override
    public Optional<ResourceRecord> find(String kind, String name) {
        return delegate.find(kind, name);
    }

    @Override
    public boolean update(ResourceRecord record) {
        try {
            return delegate.update(record);
        } finally {
            changes.changed(record.kind(), record.name());
        }
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
        try {
            return delegate.delete(kind, name);
        } finally {
            changes.changed(kind, name);
        }
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
        try {
            return delegate.reseal(kind, name, expectedKeyId, sealed, keyId);
        } finally {
            changes.changed(kind, name);
        }
    }

    @Override
    public Map<Integer, Long> countSealedByKey() {
        return delegate.countSealedByKey();
    }
}
