package io.keygate.gateway;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client shared by concurrent calls, used for a bounded number of calls and closed only once it is
 * retired and no call holds it. Retiring, rather than closing, keeps an eviction from cutting off calls
 * in flight. The bound exists because the MCP Java SDK's streamable HTTP transport (2.1.0) keeps a few
 * finished exchanges in its session's list of open connections (a race between its {@code doFinally} and
 * the registration of the exchange); that list only grows while the client lives, and every exchange
 * removes itself from it by a linear scan, so a client kept for hours would cost more on every call.
 *
 * @param <C> the client type
 */
final class SharedClient<C extends AutoCloseable> {
    private final C client;
    private final long maxCalls;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean retired;

    SharedClient(C client, long maxCalls) {
        this.client = Objects.requireNonNull(client, "client must not be null");
        if (maxCalls <= 0) {
            throw new IllegalArgumentException("maxCalls must be positive");
        }
        this.maxCalls = maxCalls;
    }

    /** @return the client for one call, which must be {@linkplain #release() released}; null once retired */
    C acquire() {
        inFlight.incrementAndGet();
        if (retired) {
            release();
            return null;
        }
        if (calls.incrementAndGet() >= maxCalls) {
            retired = true;
        }
        return client;
    }

    /** Ends one call; closes the client when it was the last call of a retired client. */
    void release() {
        if (inFlight.decrementAndGet() == 0 && retired) {
            closeOnce();
        }
    }

    /** No new calls; the client closes when the calls holding it are done (at once when none does). */
    void retire() {
        retired = true;
        if (inFlight.get() == 0) {
            closeOnce();
        }
    }

    boolean retired() {
        return retired;
    }

    private void closeOnce() {
        if (closed.compareAndSet(false, true)) {
            try {
                client.close();
            } catch (Exception ignored) {
                // closing a client whose connection already failed may fail again; nothing is left to release
            }
        }
    }
}
