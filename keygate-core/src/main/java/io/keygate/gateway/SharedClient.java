package io.keygate.gateway;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client shared by concurrent calls and closed only once it is retired and no call holds it. Retiring,
 * rather than closing, keeps a cache eviction from cutting off calls in flight.
 *
 * @param <C> the client type
 */
final class SharedClient<C extends AutoCloseable> {
    private final C client;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean retired;

    SharedClient(C client) {
        this.client = Objects.requireNonNull(client, "client must not be null");
    }

    /** @return the client for one call, which must be {@linkplain #release() released}; null once retired */
    C acquire() {
        inFlight.incrementAndGet();
        if (retired) {
            release();
            return null;
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
