package io.keygate.cache;


import io.keygate.store.InMemoryResourceStore;
import io.keygate.store.ResourceChanges;
import io.keygate.store.ResourceRecord;
import io.keygate.store.ResourceStore;
import io.keygate.store.ResourceWrite;
import io.keygate.store.WatchedResourceStore;
import io.keygate.testing.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ResourceCaches} over a {@link WatchedResourceStore}: a write on this node reaches the caches at
 * once; a write on another node (straight to the shared store) only after the TTL.
 */
class ResourceCachesTests {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-26T08:00:00Z"));
    private final InMemoryResourceStore shared = new InMemoryResourceStore();
    private final ResourceChanges changes = new ResourceChanges();
    private final ResourceStore thisNode = new WatchedResourceStore(shared, changes);
    private final ResourceCaches caches = new ResourceCaches(changes, clock, Duration.ofSeconds(5));

    @Test
    void byNameWhenRecordUpdatedOnThisNodeThenOnlyThatEntryIsDropped() {
        ReadCache<String, String> cache = caches.byName("thing", 10);
        thisNode.insert(record("a", "v1"));
        thisNode.insert(record("b", "v1"));
        cache.get("a", this::read);
        cache.get("b", this::read);

        shared.update(shared.find("thing", "b").orElseThrow().withDocument("\"v2\"", clock.instant())); // another node

        thisNode.update(shared.find("thing", "a").orElseThrow().withDocument("\"v2\"", clock.instant()));

        assertThat(cache.get("a", this::read)).isEqualTo("\"v2\"");
        assertThat(cache.get("b", this::read)).isEqualTo("\"v1\"");
    }

    @Test
    void byNameWhenRecordDeletedOnThisNodeThenNotServed() {
        ReadCache<String, String> cache = caches.byName("thing", 10);
        thisNode.insert(record("a", "v1"));
        cache.get("a", this::read);

        thisNode.delete("thing", "a");

        assertThat(cache.get("a", this::read)).isNull();
    }

    @Test
    void byNameWhenRecordChangedOnAnotherNodeThenServedUntilTtlOnly() {
        ReadCache<String, String> cache = caches.byName("thing", 10);
        thisNode.insert(record("a", "v1"));
        cache.get("a", this::read);

        shared.delete("thing", "a");

        assertThat(cache.get("a", this::read)).isEqualTo("\"v1\"");
        clock.advance(Duration.ofSeconds(5));
        assertThat(cache.get("a", this::read)).isNull();
    }

    @Test
    void wholeKindWhenAnyRecordOfKindWrittenThenEverythingIsDropped() {
        ReadCache<String, List<String>> cache = caches.wholeKind("thing", 10);
        thisNode.insert(record("a", "v1"));
        cache.get("all", key -> List.of("a"));

        thisNode.commit(List.of(new ResourceWrite.Insert(record("b", "v1"))));

        assertThat(cache.get("all", key -> List.of("a", "b"))).containsExactly("a", "b");
    }

    @Test
    void wholeKindWhenOtherKindWrittenThenEntriesStay() {
        ReadCache<String, List<String>> cache = caches.wholeKind("thing", 10);
        cache.get("all", key -> List.of("a"));

        thisNode.insert(new ResourceRecord("other", "x", "{}", null, null, 1, clock.instant(), clock.instant()));

        assertThat(cache.get("all", key -> List.of())).containsExactly("a");
    }

    private String read(String name) {
        return shared.find("thing", name).map(ResourceRecord::document).orElse(null);
    }

    private ResourceRecord record(String name, String value) {
        return new ResourceRecord("thing", name, "\"" + value + "\"", null, null, 1, clock.instant(), clock.instant());
    }
}
