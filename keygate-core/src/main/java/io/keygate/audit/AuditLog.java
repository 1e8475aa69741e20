package io.keygate.audit;

import io.keygate.cache.PerSecondFormat;
import io.keygate.store.Page;
import io.keygate.store.ResourceRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The audit trail: every token hand-out and every consent step and completion attempt, stored (so
 * every node's events are in one place, in time order) and logged.
 *
 * <p>Events are written off the request thread: {@link #record} stamps the event and queues it, and one
 * writer thread stores queued events in batches of up to {@value #MAX_BATCH}, one transaction each (it
 * waits {@value #LINGER_MILLIS} ms after the first event of a batch, so that a busy node writes few, large
 * batches: each transaction writes its changed pages once, and 25 ms instead of 5 halved the writer's
 * kernel time in bench/). No
 * event is ever dropped: when the queue ({@value #QUEUE_CAPACITY} events) is full, the caller writes its
 * event itself, synchronously; a batch the store refuses is written again one event at a time, and an
 * event that still cannot be stored is logged at ERROR with all its fields. {@link #list} and
 * {@link #close} first write everything already recorded.
 */
public final class AuditLog implements AutoCloseable {
    public static final String KIND = "audit";
    static final int QUEUE_CAPACITY = 10_000;
    static final int MAX_BATCH = 256;
    static final long LINGER_MILLIS = 25;
    private static final Logger LOG = LoggerFactory.getLogger("io.keygate.audit");
    private final PerSecondFormat seconds = new PerSecondFormat(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.")
            .withZone(ZoneOffset.UTC));
    private final ResourceRepository<AuditEvent> events;
    private final Clock clock;
    private final BlockingQueue<Named> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentSkipListSet<Long> unwritten = new ConcurrentSkipListSet<>();
    private final Thread writer;
    private volatile boolean closed;

    public AuditLog(ResourceRepository<AuditEvent> events, Clock clock) {
        this.events = Objects.requireNonNull(events, "events must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.writer = new Thread(this::writeQueued, "keygate-audit-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Records an event; {@code outcome} is a reason code or null for success. */
    public void record(String event, String workload, String provider, String principalKind, String outcome) {
        AuditEvent audit = new AuditEvent(clock.instant(), event, workload, provider, principalKind, outcome);
        Named named = new Named(sequence.incrementAndGet(), orderedName(audit.at()), audit);
        unwritten.add(named.sequence());
        if (closed || !queue.offer(named)) {
            write(List.of(named)); // full (or shutting down): this caller waits rather than lose the event
        } else if (closed) {
            writeBatches(); // close() may have drained the queue just before the offer
        }
    }

    /**
     * {@code yyyyMMddTHHmmss.nnnnnnnnn-suffix}: names sort in time order. The part up to the second is
     * formatted once per second; the request thread only pads the nanoseconds.
     */
    private String orderedName(Instant at) {
        String nanos = Integer.toString(at.getNano());
        return seconds.format(at) + "000000000".substring(nanos.length()) + nanos + "-" + suffix();
    }

    /**
     * Keeps apart the names of events stamped in the same nanosecond (on several nodes): 48 random bits.
     * The name is no secret and no handle, so the thread's generator does; the shared SecureRandom is a
     * lock every request would queue on.
     */
    private static String suffix() {
        byte[] bits = new byte[6];
        ThreadLocalRandom.current().nextBytes(bits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    /** Events oldest first, including every event recorded before this call. */
    public Page<AuditEvent> list(String nextToken, int maxResults) {
        flush();
        return events.list(nextToken, maxResults);
    }

    /** Writes every event recorded before this call, then returns. */
    public void flush() {
        long last = sequence.get();
        writeBatches();
        Long oldest;
        while ((oldest = unwritten.ceiling(0L)) != null && oldest <= last && writer.isAlive()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // the writer is storing its last batch
        }
    }

    /** Stops the writer after storing everything queued. */
    @Override
    public void close() {
        closed = true; // the writer sees it within one poll; not interrupted, so no store call is cut short
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        writeBatches();
    }

    private void writeQueued() {
        while (!closed) {
            try {
                Named first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first != null) {
                    if (queue.size() < MAX_BATCH - 1) {
                        Thread.sleep(LINGER_MILLIS); // let a few more arrive: one transaction for many events
                    }
                    List<Named> batch = new ArrayList<>(List.of(first));
                    queue.drainTo(batch, MAX_BATCH - 1);
                    write(batch);
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                break; // close() writes what is left
            } catch (RuntimeException | Error failure) {
                LOG.error("The audit writer failed; events are written by the threads recording them now", failure);
                closed = true;
            }
        }
    }

    private void writeBatches() {
        List<Named> batch = new ArrayList<>();
        while (queue.drainTo(batch, MAX_BATCH) > 0) {
            write(batch);
            batch = new ArrayList<>();
        }
    }

    private void write(List<Named> batch) {
        Map<String, AuditEvent> byName = new LinkedHashMap<>();
        batch.forEach(named -> byName.put(named.name(), named.event()));
        boolean stored;
        try {
            stored = batch.size() > 1 && events.createAll(byName);
        } catch (RuntimeException failure) {
            stored = false;
        }
        for (Named named : batch) {
            if (!stored) {
                writeOne(named);
            }
            AuditEvent event = named.event();
            LOG.info("audit event={} workload={} provider={} principalKind={} outcome={}", event.event(),
                    event.workload(), event.provider(), event.principalKind(), event.outcome() == null ? "ok" : event.outcome());
            unwritten.remove(named.sequence());
        }
    }

    private void writeOne(Named named) {
        try {
            events.create(named.name(), named.event(), null);
        } catch (RuntimeException failure) {
            AuditEvent event = named.event();
            LOG.error("audit event NOT STORED at={} event={} workload={} provider={} principalKind={} outcome={}",
                    event.at(), event.event(), event.workload(), event.provider(), event.principalKind(),
                    event.outcome(), failure);
        }
    }

    /** An event, the order it was recorded in, and the record name that orders it by time. */
    private record Named(long sequence, String name, AuditEvent event) {
    }
}
