package io.keygate.server.reliability;

import io.keygate.store.ResourceRecord;
import io.keygate.store.ResourceStore;
import io.keygate.store.ResourceWrite;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The storage fault wrapper of security.md §4.0 (F15, F8): decorates a {@link ResourceStore} and makes
 * chosen operations on chosen record kinds fail before writing, fail after their write committed (the
 * connection dropped on the way back), or run slowly. Rules skip a number of matching calls first, so a
 * scenario can hit exactly "the second commit of a vault entry": the one that stores rotated tokens.
 */
final class FaultInjectingResourceStore implements ResourceStore {
    enum Mode { FAIL, THROW_AFTER_COMMIT, SLOW }

    /** The failure a store would report; nothing about it is retryable by itself. */
    static final class InjectedStoreFault extends RuntimeException {
        InjectedStoreFault(String message) {
            super(message);
        }
    }

    private static final class Rule {
        final String operation;
        final String kind;
        final Mode mode;
        final Duration delay;
        final AtomicInteger skip;
        final AtomicInteger times;
        final double rate;

        Rule(String operation, String kind, int skip, int times, Mode mode, Duration delay, double rate) {
            this.operation = operation;
            this.kind = kind;
            this.mode = mode;
            this.delay = delay;
            this.skip = new AtomicInteger(skip);
            this.times = new AtomicInteger(times);
            this.rate = rate;
        }
    }

    private final ResourceStore delegate;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final AtomicInteger injected = new AtomicInteger();
    private final Random random = new Random(20260);

    FaultInjectingResourceStore(ResourceStore delegate) {
        this.delegate = delegate;
    }

    /**
     * After {@code skip} matching calls, the next {@code times} calls of {@code operation} (insert, find,
     * update, commit, delete, list) touching {@code kind} fail or slow down as {@code mode} says.
     */
    void inject(String operation, String kind, int skip, int times, Mode mode, Duration delay) {
        rules.add(new Rule(operation, kind, skip, times, mode, delay, 1.0));
    }

    /** Until {@link #heal()}, a fixed-seed random {@code rate} of the matching calls fail or slow down (F15). */
    void injectRandomly(String operation, String kind, double rate, Mode mode, Duration delay) {
        rules.add(new Rule(operation, kind, 0, Integer.MAX_VALUE, mode, delay, rate));
    }

    /** Drops every rule: the store works again. */
    void heal() {
        rules.clear();
    }

    private boolean draw(double rate) {
        synchronized (random) {
            return random.nextDouble() < rate;
        }
    }

    /** How many faults were actually applied. */
    int injected() {
        return injected.get();
    }

    private <T> T apply(String operation, List<String> kinds, Supplier<T> call) {
        for (Rule rule : rules) {
            if (!rule.operation.equals(operation) || !kinds.contains(rule.kind) || rule.times.get() <= 0
                    || !draw(rule.rate)) {
                continue;
            }
            if (rule.skip.getAndDecrement() > 0) {
                break;
            }
            if (rule.times.getAndDecrement() <= 0) {
                break;
            }
            injected.incrementAndGet();
            return faulty(rule, operation, call);
        }
        return call.get();
    }

    private static <T> T faulty(Rule rule, String operation, Supplier<T> call) {
        switch (rule.mode) {
            case FAIL -> throw new InjectedStoreFault("injected: " + operation + " failed before writing");
            case THROW_AFTER_COMMIT -> {
                call.get();
                throw new InjectedStoreFault("injected: " + operation + " committed, then the connection dropped");
            }
            default -> {
                try {
                    Thread.sleep(rule.delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return call.get();
            }
        }
    }

    @Override
    public boolean insert(ResourceRecord record) {
        return apply("insert", List.of(record.kind()), () -> delegate.insert(record));
    }

    @Override
    public Optional<ResourceRecord> find(String kind, String name) {
        return apply("find", List.of(kind), () -> delegate.find(kind, name));
    }

    @Override
    public boolean update(ResourceRecord record) {
        return apply("update", List.of(record.kind()), () -> delegate.update(record));
    }

    @Override
    public boolean commit(List<ResourceWrite> writes) {
        return apply("commit", writes.stream().map(write -> write.record().kind()).toList(),
                () -> delegate.commit(writes));
    }

    @Override
    public boolean delete(String kind, String name) {
        return apply("delete", List.of(kind), () -> delegate.delete(kind, name));
    }

    @Override
    public List<ResourceRecord> list(String kind, String afterName, int limit) {
        return apply("list", List.of(kind), () -> delegate.list(kind, afterName, limit));
    }

    @Override
    public List<ResourceRecord> findSealedWithKeyOtherThan(int keyId, int limit) {
        return delegate.findSealedWithKeyOtherThan(keyId, limit);
    }

    @Override
    public boolean reseal(String kind, String name, int expectedKeyId, byte[] sealed, int keyId) {
        return delegate.reseal(kind, name, expectedKeyId, sealed, keyId);
    }

    @Override
    public Map<Integer, Long> countSealedByKey() {
        return delegate.countSealedByKey();
    }
}
