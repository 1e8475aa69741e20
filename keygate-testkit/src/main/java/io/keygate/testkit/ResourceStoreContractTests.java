package io.keygate.testkit;

import io.keygate.store.ResourceRecord;
import io.keygate.store.ResourceStore;
import io.keygate.store.ResourceWrite;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every {@link ResourceStore} must have. Subclasses supply a fresh, empty store; the
 * suite runs on the in-memory store, SQLite and PostgreSQL.
 */
public abstract class ResourceStoreContractTests {
    private static final Instant T0 = Instant.parse("2026-11-26T10:15:30.123456789Z");
    protected ResourceStore store;

    protected abstract ResourceStore newStore();

    @BeforeEach
    void createStore() {
        store = newStore();
    }

    private static ResourceRecord record(String kind, String name, byte[] sealed, Integer keyId) {
        return new ResourceRecord(kind, name, "{\"name\":\"" + name + "\"}", sealed, keyId, 1, T0, T0);
    }

    @Test
    void findWhenInsertedThenReturnsEqualRecordAtVersionOne() {
        ResourceRecord record = record("kind-a", "one", new byte[]{1, 2, 3}, 7);
        assertThat(store.insert(record)).isTrue();
        assertThat(store.find("kind-a", "one")).contains(record);
    }

    @Test
    void insertWhenNameExistsThenFalseAndFirstRecordKept() {
        store.insert(record("kind-a", "one", null, null));
        ResourceRecord other = new ResourceRecord("kind-a", "one", "{\"other\":true}", null, null, 1, T0, T0);
        assertThat(store.insert(other)).isFalse();
        assertThat(store.find("kind-a", "one").orElseThrow().document()).isEqualTo("{\"name\":\"one\"}");
    }

    @Test
    void findWhenSameNameInOtherKindThenSeparate() {
        store.insert(record("kind-a", "one", null, null));
        assertThat(store.find("kind-b", "one")).isEmpty();
        assertThat(store.insert(record("kind-b", "one", null, null))).isTrue();
    }

    @Test
    void updateWhenVersionMatchesThenReplacedAndVersionIncremented() {
        store.insert(record("kind-a", "one", new byte[]{1}, 1));
        ResourceRecord current = store.find("kind-a", "one").orElseThrow();
        Instant later = T0.plusSeconds(5);
        assertThat(store.update(current.withDocument("{\"v\":2}", later).withSealed(new byte[]{9}, 2, later))).isTrue();
        ResourceRecord updated = store.find("kind-a", "one").orElseThrow();
        assertThat(updated.version()).isEqualTo(2);
        assertThat(updated.document()).isEqualTo("{\"v\":2}");
        assertThat(updated.sealed()).containsExactly(9);
        assertThat(updated.keyId()).isEqualTo(2);
        assertThat(updated.createdTime()).isEqualTo(T0);
        assertThat(updated.updatedTime()).isEqualTo(later);
    }

    @Test
    void updateWhenVersionIsStaleThenFalseAndNothingWritten() {
        store.insert(record("kind-a", "one", null, null));
        ResourceRecord stale = store.find("kind-a", "one").orElseThrow();
        store.update(stale.withDocument("{\"first\":true}", T0));
        assertThat(store.update(stale.withDocument("{\"second\":true}", T0))).isFalse();
        assertThat(store.find("kind-a", "one").orElseThrow().document()).isEqualTo("{\"first\":true}");
    }

    @Test
    void updateWhenMissingThenFalse() {
        assertThat(store.update(record("kind-a", "ghost", null, null))).isFalse();
        assertThat(store.find("kind-a", "ghost")).isEmpty();
    }

    @Test
    void commitWhenAllWritesApplyThenAllVisible() {
        store.insert(record("kind-a", "existing", null, null));
        ResourceRecord existing = store.find("kind-a", "existing").orElseThrow();
        boolean committed = store.commit(List.of(
                new ResourceWrite.Update(existing.withDocument("{\"done\":true}", T0)),
                new ResourceWrite.Insert(record("kind-b", "fresh", new byte[]{4}, 3))));
        assertThat(committed).isTrue();
        assertThat(store.find("kind-a", "existing").orElseThrow().document()).isEqualTo("{\"done\":true}");
        assertThat(store.find("kind-b", "fresh")).isPresent();
    }

    @Test
    void commitWhenOneWriteConflictsThenNothingWritten() {
        store.insert(record("kind-a", "existing", null, null));
        ResourceRecord stale = store.find("kind-a", "existing").orElseThrow();
        store.update(stale.withDocument("{\"other\":true}", T0));
        boolean committed = store.commit(List.of(
                new ResourceWrite.Insert(record("kind-b", "would-be", null, null)),
                new ResourceWrite.Update(stale.withDocument("{\"mine\":true}", T0))));
        assertThat(committed).isFalse();
        assertThat(store.find("kind-b", "would-be")).isEmpty();
        assertThat(store.find("kind-a", "existing").orElseThrow().document()).isEqualTo("{\"other\":true}");
    }

    @Test
    void commitWhenInsertMeetsExistingThenNothingWritten() {
        store.insert(record("kind-a", "taken", null, null));
        ResourceRecord other = store.find("kind-a", "taken").orElseThrow();
        store.insert(record("kind-a", "second", null, null));
        ResourceRecord second = store.find("kind-a", "second").orElseThrow();
        assertThat(store.commit(List.of(new ResourceWrite.Update(second.withDocument("{\"x\":1}", T0)),
                new ResourceWrite.Insert(record("kind-a", "taken", null, null))))).isFalse();
        assertThat(store.find("kind-a", "second").orElseThrow().version()).isEqualTo(1);
        assertThat(other.version()).isEqualTo(1);
    }

    @Test
    void commitWhenOnlyInsertsThenAllVisible() {
        assertThat(store.commit(List.of(new ResourceWrite.Insert(record("kind-a", "one", null, null)),
                new ResourceWrite.Insert(record("kind-a", "two", new byte[]{1}, 2)),
                new ResourceWrite.Insert(record("kind-b", "three", null, null))))).isTrue();
        assertThat(store.list("kind-a", null, 10)).extracting(ResourceRecord::name).containsExactly("one", "two");
        assertThat(store.find("kind-b", "three")).isPresent();
    }

    @Test
    void commitWhenOnlyInsertsAndOneExistsThenNothingWritten() {
        store.insert(record("kind-a", "taken", null, null));
        assertThat(store.commit(List.of(new ResourceWrite.Insert(record("kind-a", "fresh", null, null)),
                new ResourceWrite.Insert(record("kind-a", "taken", new byte[]{9}, 2))))).isFalse();
        assertThat(store.find("kind-a", "fresh")).isEmpty();
        assertThat(store.find("kind-a", "taken").orElseThrow().sealed()).isNull();
    }

    @Test
    void deleteWhenPresentThenGoneAndSecondDeleteFalse() {
        store.insert(record("kind-a", "one", null, null));
        assertThat(store.delete("kind-a", "one")).isTrue();
        assertThat(store.find("kind-a", "one")).isEmpty();
        assertThat(store.delete("kind-a", "one")).isFalse();
    }

    @Test
    void listWhenPagedThenOrderedByNameWithinKind() {
        for (String name : List.of("c", "a", "e", "b", "d")) {
            store.insert(record("kind-a", name, null, null));
        }
        store.insert(record("kind-b", "a0", null, null));
        assertThat(store.list("kind-a", null, 2)).extracting(ResourceRecord::name).containsExactly("a", "b");
        assertThat(store.list("kind-a", "b", 2)).extracting(ResourceRecord::name).containsExactly("c", "d");
        assertThat(store.list("kind-a", "d", 2)).extracting(ResourceRecord::name).containsExactly("e");
        assertThat(store.list("kind-a", "e", 2)).isEmpty();
    }

    @Test
    void findSealedWithKeyOtherThanWhenMixedKeysThenOnlyOldKeysReturned() {
        store.insert(record("kind-a", "old", new byte[]{1}, 1));
        store.insert(record("kind-a", "new", new byte[]{2}, 2));
        store.insert(record("kind-b", "plain", null, null));
        assertThat(store.findSealedWithKeyOtherThan(2, 10)).extracting(ResourceRecord::name).containsExactly("old");
        assertThat(store.countSealedByKey()).containsEntry(1, 1L).containsEntry(2, 1L).hasSize(2);
    }

    @Test
    void resealWhenKeyMatchesThenSwappedWithoutVersionChange() {
        store.insert(record("kind-a", "one", new byte[]{1}, 1));
        assertThat(store.reseal("kind-a", "one", 1, new byte[]{5, 5}, 2)).isTrue();
        ResourceRecord resealed = store.find("kind-a", "one").orElseThrow();
        assertThat(resealed.sealed()).containsExactly(5, 5);
        assertThat(resealed.keyId()).isEqualTo(2);
        assertThat(resealed.version()).isEqualTo(1);
    }

    @Test
    void resealWhenKeyAlreadyChangedThenFalse() {
        store.insert(record("kind-a", "one", new byte[]{1}, 1));
        store.reseal("kind-a", "one", 1, new byte[]{2}, 2);
        assertThat(store.reseal("kind-a", "one", 1, new byte[]{3}, 3)).isFalse();
        assertThat(store.find("kind-a", "one").orElseThrow().sealed()).containsExactly(2);
    }

    @Test
    void updateWhenRacedByManyWritersThenExactlyOneWinsPerVersion() throws Exception {
        store.insert(record("kind-a", "race", null, null));
        ResourceRecord start = store.find("kind-a", "race").orElseThrow();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String document = "{\"writer\":" + i + "}";
                results.add(pool.submit(() -> store.update(start.withDocument(document, T0))));
            }
            int wins = 0;
            for (Future<Boolean> result : results) {
                wins += result.get(30, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(wins).isEqualTo(1);
            assertThat(store.find("kind-a", "race").orElseThrow().version()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }
}
