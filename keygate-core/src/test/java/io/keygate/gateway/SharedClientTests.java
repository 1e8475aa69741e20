package io.keygate.gateway;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link SharedClient}: bounded use, and never closed under a call that holds it. */
class SharedClientTests {
    private final AtomicInteger closes = new AtomicInteger();
    private final AutoCloseable client = closes::incrementAndGet;

    @Test
    void retireWhenACallHoldsTheClientThenClosesOnlyOnRelease() {
        SharedClient<AutoCloseable> shared = new SharedClient<>(client);
        shared.acquire();

        shared.retire();
        assertThat(closes).hasValue(0);
        assertThat(shared.acquire()).isNull();

        shared.release();
        assertThat(closes).hasValue(1);
    }

    @Test
    void retireWhenIdleThenClosesOnceAtOnce() {
        SharedClient<AutoCloseable> shared = new SharedClient<>(client);

        shared.retire();
        shared.retire();

        assertThat(closes).hasValue(1);
        assertThat(shared.acquire()).isNull();
        assertThat(closes).hasValue(1);
    }
}
