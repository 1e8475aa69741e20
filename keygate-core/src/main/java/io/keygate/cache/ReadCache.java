package io.keygate.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Expiry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A bounded, short-lived read-through cache for values that the database holds, so the hot path of a
 * request does not read (and decrypt) them every time. Expiry follows the given {@link Clock}, so tests
 * move time instead of waiting.
 *
 * <p>Invalidation is exact on this node: every entry carries the generation of its key (and of the whole
 * cache) read <em>before</em> its value was loaded, and {@link #invalidate}/{@link #invalidateAll} bump
 * those generations after the write. A load that raced with a write is therefore never served, even if
 * it lands in the map afterwards. Other nodes' writes are seen when the entry expires (the TTL).
 *
 * @param <K> key type; never shared between callers unless the value is the same for all of them
 * @param <V> cached value (immutable)
 */
public final class ReadCache<K, V> {
    private static final int STRIPES = 256;
    private final Cache<K, Stamped<V>> entries;
    private final AtomicLong epoch = new AtomicLong();
    private final AtomicLongArray stripes = new AtomicLongArray(STRIPES);

    /** Every entry lives {@code ttl} at most. */
    public ReadCache(Clock clock, Duration ttl, long maximumSize) {
        this(clock, maximumSize, (key, value) -> ttl);
    }

    /** Each entry lives as long as {@code ttl} says for it (zero or negative: not kept at all). */
    public ReadCache(Clock clock, long maximumSize, BiFunction<K, V, Duration> ttl) {
        Objects.requireNonNull(clock, "clock must not be null");
        Objects.requireNonNull(ttl, "ttl must not be null");
        this.entries = Caches.newBuilder()
                .maximumSize(maximumSize)
                .ticker(() -> clock.millis() * 1_000_000L)
                .expireAfter(Expiry.writing((K key, Stamped<V> entry) -> {
                    Duration lifetime = ttl.apply(key, entry.value());
                    return lifetime.isNegative() ? Duration.ZERO : lifetime;
                }))
                .build();
    }

    /** Entries kept until the value's own expiry, {@code cap} at most (for validated or opened tokens). */
    public static <K, V> ReadCache<K, V> untilExpiry(Clock clock, long maximumSize, Duration cap,
                                                     Function<V, Instant> expiresAt) {
        return new ReadCache<>(clock, maximumSize, (key, value) -> {
            Duration left = Duration.between(clock.instant(), expiresAt.apply(value));
            return left.compareTo(cap) < 0 ? left : cap;
        });
    }

    /** The cached value, or the loader's (cached unless null; a loader's exception is not cached). */
    public V get(K key, Function<K, V> loader) {
        Stamped<V> entry = entries.getIfPresent(key);
        if (entry != null && entry.epoch() == epoch.get() && entry.stripe() == stripes.get(stripe(key))) {
            return entry.value();
        }
        long currentEpoch = epoch.get();
        long currentStripe = stripes.get(stripe(key));
        V value = loader.apply(key);
        if (value != null) {
            entries.put(key, new Stamped<>(currentEpoch, currentStripe, value));
        }
        return value;
    }

    /** Forgets one key; a load of it running now is not served later. */
    public void invalidate(K key) {
        stripes.incrementAndGet(stripe(key));
        entries.invalidate(key);
    }

    /** Forgets everything; loads running now are not served later. */
    public void invalidateAll() {
        epoch.incrementAndGet();
        entries.invalidateAll();
    }

    private static int stripe(Object key) {
        int hash = key.hashCode();
        return (hash ^ (hash >>> 16)) & (STRIPES - 1);
    }

    private record Stamped<V>(long epoch, long stripe, V value) {
    }
}
