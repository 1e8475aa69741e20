package io.keygate.cache;

import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * How Keygate builds its Caffeine caches: their upkeep (expiry, size bound, removal listeners) runs on the
 * thread that touched the cache. Caffeine's default hands it to the common pool, and with nine caches
 * read on every gateway call that woke a pool thread about once per call (bench/README.md); the upkeep
 * itself is a few map operations, cheaper than the wake-up.
 *
 * @see <a href="https://github.com/ben-manes/caffeine/wiki/Cleanup">Caffeine: cleanup</a>
 */
public final class Caches {
    private Caches() {
    }

    /** A Caffeine builder whose upkeep runs on the calling thread. */
    public static Caffeine<Object, Object> newBuilder() {
        return Caffeine.newBuilder().executor(Runnable::run);
    }
}
