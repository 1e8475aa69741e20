package io.keygate.bench;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Closed-loop load for the identity scenarios: {@code clients} threads each repeat one action (an
 * AgentCore call, or a whole 3LO flow) as soon as the previous one is done, for a time or until a
 * number of actions has started. Each action's latency (µs) goes into an HdrHistogram; an action
 * that throws or answers false is an error.
 */
final class ActionLoad {
    private static final long HIGHEST_MICROS = Duration.ofMinutes(5).toNanos() / 1000;

    /** One action of client {@code client}; true when it did what it should. */
    interface Action {
        boolean run(int client) throws Exception;
    }

    /** What a run got through. */
    record Result(String name, int clients, long ok, long errors, double seconds, Histogram latencies, String firstError) {
        double throughput() {
            return seconds <= 0 ? 0 : ok / seconds;
        }

        double millis(double percentile) {
            return latencies.getTotalCount() == 0 ? Double.NaN : latencies.getValueAtPercentile(percentile) / 1000.0;
        }

        String row(String unit) {
            return String.format(Locale.ROOT, "%-34s %7d %8d %7d %10.1f %s/s %9.2f %9.2f", name, clients, ok, errors,
                    throughput(), unit, millis(50), millis(99))
                    + (firstError == null ? "" : "   first error: " + firstError);
        }
    }

    static String header() {
        return String.format(Locale.ROOT, "%-34s %7s %8s %7s %17s %9s %9s", "scenario", "clients", "ok", "errors",
                "throughput", "p50 ms", "p99 ms");
    }

    private ActionLoad() {
    }

    /** {@code warmup} unrecorded, then {@code window} recorded. */
    static Result forTime(String name, int clients, Duration warmup, Duration window, Action action)
            throws InterruptedException {
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long end = measureFrom + window.toNanos();
        return run(name, clients, measureFrom, started -> System.nanoTime() < end, action);
    }

    /** Exactly {@code total} actions, all recorded. */
    static Result count(String name, int clients, int total, Action action) throws InterruptedException {
        return run(name, clients, System.nanoTime(), started -> started < total, action);
    }

    private interface Continue {
        boolean test(long startedSoFar);
    }

    private static Result run(String name, int clients, long measureFrom, Continue more, Action action)
            throws InterruptedException {
        Histogram latencies = new Histogram(HIGHEST_MICROS, 3);
        AtomicLong started = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong lastEnd = new AtomicLong(measureFrom);
        AtomicReference<String> firstError = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int client = i;
            Thread thread = new Thread(() -> {
                while (more.test(started.getAndIncrement())) {
                    long begin = System.nanoTime();
                    boolean success;
                    String failure = null;
                    try {
                        success = action.run(client);
                        failure = success ? null : "the answer was not the expected one";
                    } catch (Exception | Error e) {
                        success = false;
                        failure = e.getClass().getSimpleName() + ": " + e.getMessage();
                    }
                    long finish = System.nanoTime();
                    if (begin < measureFrom) {
                        continue;
                    }
                    if (success) {
                        ok.incrementAndGet();
                        synchronized (latencies) {
                            latencies.recordValue(Math.min(HIGHEST_MICROS, (finish - begin) / 1000));
                        }
                    } else {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, failure);
                    }
                    lastEnd.accumulateAndGet(finish, Math::max);
                }
            }, "load-" + name + "-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double seconds = (lastEnd.get() - measureFrom) / 1e9;
        return new Result(name, clients, ok.get(), errors.get(), seconds, latencies, firstError.get());
    }
}
