package io.keygate.server.extension;

import io.keygate.crypto.KeyRotationSweep;
import io.keygate.crypto.KeyringService;
import io.keygate.fault.FaultPoints;
import io.keygate.store.ResourceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Rotation as an operator uses it: add a primary key, then re-encrypt old rows in the background. On
 * start, an unfinished sweep (rows under old keys) is resumed.
 */
public final class KeyRotation implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRotation.class);
    private final KeyringService keyrings;
    private final ResourceStore store;
    private final KeyRotationSweep sweep;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "keygate-key-rotation-sweep");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile KeyRotationSweep.Result lastResult;

    /** @param oldKeyGrace how long old keys keep opening workload access tokens after a rotation (their lifetime) */
    public KeyRotation(KeyringService keyrings, ResourceStore store, java.time.Clock clock, java.time.Duration oldKeyGrace,
                       FaultPoints faults) {
        this.keyrings = Objects.requireNonNull(keyrings, "keyrings must not be null");
        this.store = Objects.requireNonNull(store, "store must not be null");
        this.sweep = new KeyRotationSweep(keyrings, store, clock, oldKeyGrace, faults);
    }

    /** Adds a new primary key and starts the sweep; returns the new key id. */
    public int rotate() {
        int primary = keyrings.rotate();
        LOG.info("Keyring rotated: new primary key {}", primary);
        startSweep();
        return primary;
    }

    /** Starts the sweep in the background unless it is running already. */
    public void startSweep() {
        if (running.compareAndSet(false, true)) {
            executor.execute(() -> {
                try {
                    lastResult = sweep.run();
                } catch (RuntimeException failure) {
                    LOG.error("Key rotation sweep stopped; it resumes at the next rotation or restart", failure);
                } finally {
                    running.set(false);
                }
            });
        }
    }

    /**
     * Resumes a sweep left unfinished by a crash or restart, or retires the old keys once their grace has
     * passed; the node calls it at start and then periodically.
     */
    public void resumeIfUnfinished() {
        if (keyrings.isSealed()) {
            return;
        }
        int primary = keyrings.keyring().primaryKeyId();
        boolean oldKeysInUse = store.countSealedByKey().keySet().stream().anyMatch(id -> id != primary);
        boolean oldKeysEnabled = keyrings.keyring().keys().stream().anyMatch(key -> key.enabled() && !key.primary());
        if (oldKeysInUse || oldKeysEnabled) {
            startSweep();
        }
    }

    /** The keyring as stored: another node may have rotated or retired keys since this node last looked. */
    public KeyringStatus status() {
        return KeyringStatus.of(keyrings.reload(), store.countSealedByKey(), running.get(), lastResult);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
