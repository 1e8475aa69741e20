package io.keygate.cache;

import io.keygate.testing.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link ReadCache}: read-through, expiry on the given clock, exact invalidation, nothing cached that should not be. */
class ReadCacheTests {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-26T08:00:00Z"));
    private final ReadCache<String, String> cache = new ReadCache<>(clock, Duration.ofSeconds(5), 100);
    private final AtomicInteger loads = new AtomicInteger();

    private String load(String key) {
        return key + "#" + loads.incrementAndGet();
    }

    @Test
    void getWhenLoadedWithinTtlThenLoaderNotCalledAgain() {
        assertThat(cache.get("a", this::load)).isEqualTo("a#1");
        clock.advance(Duration.ofMillis(4_999));

        assertThat(cache.get("a", this::load)).isEqualTo("a#1");
        assertThat(loads).hasValue(1);
    }

    @Test
    void getWhenTtlPassedThenLoadsAgain() {
        cache.get("a", this::load);
        clock.advance(Duration.ofSeconds(5));

        assertThat(cache.get("a", this::load)).isEqualTo("a#2");
    }

    @Test
    void getWhenKeysDifferThenEachHasItsOwnValue() {
        assertThat(cache.get("alice", this::load)).isEqualTo("alice#1");
        assertThat(cache.get("bob", this::load)).isEqualTo("bob#2");
        assertThat(cache.get("alice", this::load)).isEqualTo("alice#1");
    }

    @Test
    void invalidateWhenCalledThenNextGetLoadsAndOtherKeysStay() {
        cache.get("a", this::load);
        cache.get("b", this::load);

        cache.invalidate("a");

        assertThat(cache.get("a", this::load)).isEqualTo("a#3");
        assertThat(cache.get("b", this::load)).isEqualTo("b#2");
    }

    @Test
    void invalidateAllWhenCalledThenEveryKeyLoadsAgain() {
        cache.get("a", this::load);
        cache.get("b", this::load);

        cache.invalidateAll();

        assertThat(cache.get("a", this::load)).isEqualTo("a#3");
        assertThat(cache.get("b", this::load)).isEqualTo("b#4");
    }

    @Test
    void getWhenInvalidatedWhileLoadingThenLoadedValueIsNotServedLater() {
        // a write lands (and invalidates) while a reader still holds the value it read before the write
        assertThat(cache.get("a", key -> {
            String stale = load(key);
            cache.invalidate(key);
            return stale;
        })).isEqualTo("a#1");

        assertThat(cache.get("a", this::load)).isEqualTo("a#2");
    }

    @Test
    void getWhenAllInvalidatedWhileLoadingThenLoadedValueIsNotServedLater() {
        cache.get("a", key -> {
            String stale = load(key);
            cache.invalidateAll();
            return stale;
        });

        assertThat(cache.get("a", this::load)).isEqualTo("a#2");
    }

    @Test
    void getWhenLoaderReturnsNullThenNothingIsCached() {
        assertThat(cache.get("missing", key -> null)).isNull();

        assertThat(cache.get("missing", this::load)).isEqualTo("missing#1");
    }

    @Test
    void getWhenLoaderThrowsThenExceptionPassesAndNothingIsCached() {
        assertThatThrownBy(() -> cache.get("a", key -> {
            throw new IllegalStateException("store down");
        })).hasMessage("store down");

        assertThat(cache.get("a", this::load)).isEqualTo("a#1");
    }

    @Test
    void getWhenPerEntryTtlIsShorterThenEntryExpiresAtItsOwnTime() {
        ReadCache<String, Instant> untilExpiry = new ReadCache<>(clock, 100,
                (key, expiresAt) -> Duration.between(clock.instant(), expiresAt));
        Instant soon = clock.instant().plusSeconds(2);
        untilExpiry.get("token", key -> soon);
        clock.advance(Duration.ofSeconds(2));

        assertThat(untilExpiry.get("token", key -> Instant.EPOCH)).isEqualTo(Instant.EPOCH);
    }

    @Test
    void getWhenPerEntryTtlIsNotPositiveThenValueIsReturnedButNotKept() {
        ReadCache<String, String> never = new ReadCache<>(clock, 100, (key, value) -> Duration.ofSeconds(-1));

        assertThat(never.get("a", this::load)).isEqualTo("a#1");
        assertThat(never.get("a", this::load)).isEqualTo("a#2");
    }
}
