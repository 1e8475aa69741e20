package io.keygate.audit;

import io.keygate.crypto.KeyringService;
import io.keygate.store.InMemoryResourceStore;
import io.keygate.store.ResourceRecord;
import io.keygate.store.ResourceRepository;
import io.keygate.store.ResourceStore;
import io.keygate.testing.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AuditLog}: events are written off the caller's thread but never lost (security.md LG-2): a
 * listing sees every event recorded before it, close writes what is queued, and a store that refuses
 * batches still gets every event one by one.
 */
class AuditLogTests {
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-26T08:00:00Z"));
    private final AtomicBoolean refuseBatches = new AtomicBoolean();
    private final InMemoryResourceStore store = new InMemoryResourceStore();
    /** The store, except that it refuses every multi-record transaction while {@link #refuseBatches} is set. */
    private final ResourceStore refusing = (ResourceStore) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[]{ResourceStore.class}, (proxy, method, args) ->
                    method.getName().equals("commit") && refuseBatches.get() ? false : method.invoke(store, args));
    private final AuditLog audit = new AuditLog(new ResourceRepository<>(refusing, new KeyringService(store, clock), clock,
            AuditLog.KIND, AuditEvent.class, "audit event"), clock);

    @AfterEach
    void close() {
        audit.close();
    }

    @Test
    void listWhenEventsJustRecordedThenAllAreListedInOrder() {
        for (int i = 0; i < 500; i++) {
            audit.record("tool-call", "workload-" + i, "target", null, null);
            clock.advance(java.time.Duration.ofNanos(1_000));
        }

        List<AuditEvent> listed = audit.list(null, 1000).items();

        assertThat(listed).hasSize(500);
        assertThat(listed.get(0).workload()).isEqualTo("workload-0");
        assertThat(listed.get(499).workload()).isEqualTo("workload-499");
    }

    @Test
    void listWhenEventsSpanSecondsAndNanosecondsOfEveryWidthThenTheyAreListedInOrder() {
        // names carry the time down to the nanosecond: 5 ns must sort before 40 ns, 999,999,999 before the next second
        long[] steps = {5, 35, 960, 999_999_000, 1, 299_999_993, 700_000_007, 3_000_000_000L};
        for (int i = 0; i < steps.length; i++) {
            clock.advance(java.time.Duration.ofNanos(steps[i]));
            audit.record("tool-call", "workload-" + i, "target", null, null);
        }

        List<AuditEvent> listed = audit.list(null, 100).items();

        assertThat(listed).extracting(AuditEvent::workload)
                .containsExactly("workload-0", "workload-1", "workload-2", "workload-3", "workload-4", "workload-5",
                        "workload-6", "workload-7");
    }

    @Test
    void recordWhenManyThreadsRecordAtOnceThenNoEventIsLost() throws Exception {
        int threads = 8;
        int each = AuditLog.QUEUE_CAPACITY / 4; // 20,000 in all: more than the queue holds
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    audit.record("tool-call", "w", "target", null, null);
                }
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        pool.shutdown();

        audit.flush();

        assertThat(store.list(AuditLog.KIND, null, threads * each + 1)).hasSize(threads * each);
    }

    @Test
    void closeWhenEventsQueuedThenAllAreStored() {
        for (int i = 0; i < 100; i++) {
            audit.record("token-handed-out", "w", "p", "jwt", null);
        }

        audit.close();

        assertThat(store.list(AuditLog.KIND, null, 1000)).hasSize(100);
    }

    @Test
    void recordWhenStoreRefusesBatchesThenEventsAreStoredOneByOne() {
        refuseBatches.set(true);
        for (int i = 0; i < 50; i++) {
            audit.record("completion-attempt", "w", "p", "jwt", "STATE_MISMATCH");
        }

        audit.flush();

        List<ResourceRecord> stored = store.list(AuditLog.KIND, null, 100);
        assertThat(stored).hasSize(50);
        assertThat(stored.get(0).document()).contains("STATE_MISMATCH");
    }

    @Test
    void recordWhenClosedThenEventIsWrittenByTheCaller() {
        audit.close();

        audit.record("tool-call", "w", "target", null, null);

        assertThat(store.list(AuditLog.KIND, null, 10)).hasSize(1);
    }
}
