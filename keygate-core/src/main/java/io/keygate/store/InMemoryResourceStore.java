package io.keygate.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A {@link ResourceStore} in one JVM's memory, for tests and throwaway runs. Thread-safe. */
public final class InMemoryResourceStore implements ResourceStore {
    private final TreeMap<String, ResourceRecord> records = new TreeMap<>();

    private static String key(String kind, String name) {
        return kind + "\u0000" + name;
    }

    @Override
    public synchronized boolean insert(ResourceRecord record) {
        ResourceRecord stored = new ResourceRecord(record.kind(), record.name(), record.document(), record.sealed(),
                record.keyId(), 1, record.createdTime(), record.updatedTime());
        return records.putIfAbsent(key(record.kind(), record.name()), stored) == null;
    }

    @Override
    public synchronized Optional<ResourceRecord> find(String kind, String name) {
        return Optional.ofNullable(records.get(key(kind, name)));
    }

    @Override
    public synchronized boolean update(ResourceRecord record) {
        ResourceRecord current = records.get(key(record.kind(), record.name()));
        if (current == null || current.version() != record.version()) {
            return false;
        }
        records.put(key(record.kind(), record.name()), new ResourceRecord(record.kind(), record.name(),
                record.document(), record.sealed(), record.keyId(), record.version() + 1, current.createdTime(),
                record.updatedTime()));
        return true;
    }

    @Override
    public synchronized boolean commit(List<ResourceWrite> writes) {
        for (ResourceWrite write : writes) {
            ResourceRecord current = records.get(key(write.record().kind(), write.record().name()));
            boolean applicable = write instanceof ResourceWrite.Insert
                    ? current == null
                    : current != null && current.version() == write.record().version();
            if (!applicable) {
                return false;
            }
        }
        for (ResourceWrite write : writes) {
            if (write instanceof ResourceWrite.Insert) {
                insert(write.record());
            } else {
                update(write.record());
            }
        }
        return true;
    }

    @Override
    public synchronized boolean delete(String kind, String name) {
        return records.remove(key(kind, name)) != null;
    }

    @Override
    public synchronized List<ResourceRecord> list(String kind, String afterName, int limit) {
        String from = afterName == null ? key(kind, "") : key(kind, afterName);
        List<ResourceRecord> page = new ArrayList<>();
        for (ResourceRecord record : records.tailMap(from, afterName == null).values()) {
            if (!record.kind().equals(kind) || page.size() == limit) {
                break;
            }
            page.add(record);
        }
        return page;
    }

    @Override
    public synchronized List<ResourceRecord> findSealedWithKeyOtherThan(int keyId, int limit) {
        return records.values().stream()
                .filter(record -> record.keyId() != null && record.keyId() != keyId)
                .limit(limit)
                .toList();
    }

    @Override
    public synchronized boolean reseal(String kind, String name, int expectedKeyId, byte[] sealed, int keyId) {
        ResourceRecord current = records.get(key(kind, name));
        if (current == null || current.keyId() == null || current.keyId() != expectedKeyId) {
            return false;
        }
        records.put(key(kind, name), new ResourceRecord(kind, name, current.document(), sealed, keyId,
                current.version(), current.createdTime(), current.updatedTime()));
        return true;
    }

    @Override
    public synchronized Map<Integer, Long> countSealedByKey() {
        Map<Integer, Long> counts = new TreeMap<>();
        records.values().stream().filter(record -> record.keyId() != null)
                .forEach(record -> counts.merge(record.keyId(), 1L, Long::sum));
        return counts;
    }
}
