package io.keygate.cache;

import io.keygate.store.ResourceChanges;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Makes the {@link ReadCache}s of the request hot paths (gateways, targets, API keys, access keys):
 * a local write of a resource drops what it changed at once (through {@link ResourceChanges}); a write
 * on another node is seen after the TTL at most, {@value #DEFAULT_TTL_SECONDS} s by default.
 */
public final class ResourceCaches {
    public static final int DEFAULT_TTL_SECONDS = 5;
    private final ResourceChanges changes;
    private final Clock clock;
    private final Duration ttl;

    public ResourceCaches(ResourceChanges changes, Clock clock, Duration ttl) {
        this.changes = Objects.requireNonNull(changes, "changes must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.ttl = Objects.requireNonNull(ttl, "ttl must not be null");
    }

    /** A cache emptied whenever any record of {@code kind} is written on this node. */
    public <K, V> ReadCache<K, V> wholeKind(String kind, long maximumSize) {
        ReadCache<K, V> cache = new ReadCache<>(clock, ttl, maximumSize);
        changes.onChange(kind, name -> cache.invalidateAll());
        return cache;
    }

    /** A cache keyed by record name whose entry goes when that record of {@code kind} is written on this node. */
    public <V> ReadCache<String, V> byName(String kind, long maximumSize) {
        ReadCache<String, V> cache = new ReadCache<>(clock, ttl, maximumSize);
        changes.onChange(kind, cache::invalidate);
        return cache;
    }
}
