package io.keygate.crypto;

import io.keygate.fault.FaultPoints;
import io.keygate.store.ResourceRecord;
import io.keygate.store.ResourceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Re-encrypts every sealed secret that an older key wraps under the current primary key, in small
 * batches with a compare-and-set on the old key id, then disables the keys no row uses any more.
 * Resumable by construction: it works from what the store says, so a crash or restart simply runs it
 * again (security.md TV-2). Rows that do not open (tampered) are skipped and reported; their key stays.
 * Keys are disabled only once the keyring has not changed for {@code oldKeyGrace}: workload access
 * tokens are sealed too but never stored, so an old key must keep opening them until they expire.
 */
public final class KeyRotationSweep {
    private static final Logger LOG = LoggerFactory.getLogger(KeyRotationSweep.class);
    private static final int BATCH = 100;

    private final KeyringService keyrings;
    private final ResourceStore store;
    private final Clock clock;
    private final Duration oldKeyGrace;
    private final FaultPoints faults;

    /** @param oldKeyGrace how long after the last rotation old keys keep opening what was sealed but not stored */
    public KeyRotationSweep(KeyringService keyrings, ResourceStore store, Clock clock, Duration oldKeyGrace,
                            FaultPoints faults) {
        this.keyrings = Objects.requireNonNull(keyrings, "keyrings must not be null");
        this.store = Objects.requireNonNull(store, "store must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.oldKeyGrace = Objects.requireNonNull(oldKeyGrace, "oldKeyGrace must not be null");
        this.faults = Objects.requireNonNull(faults, "faults must not be null");
    }

    /** Runs to completion; returns how many rows were re-encrypted and how many could not be opened. */
    public Result run() {
        int primary = keyrings.reload().primaryKeyId();
        Set<String> unopenable = new HashSet<>();
        int resealed = 0;
        while (true) {
            List<ResourceRecord> batch = store.findSealedWithKeyOtherThan(primary, BATCH + unopenable.size());
            List<ResourceRecord> todo = batch.stream()
                    .filter(record -> !unopenable.contains(record.kind() + "/" + record.name())).toList();
            if (todo.isEmpty()) {
                break;
            }
            for (ResourceRecord record : todo) {
                if (reseal(record)) {
                    resealed++;
                } else {
                    unopenable.add(record.kind() + "/" + record.name());
                }
            }
        }
        retireUnusedKeys(primary);
        LOG.info("Key rotation sweep finished: {} secrets re-encrypted under key {}, {} could not be opened",
                resealed, primary, unopenable.size());
        return new Result(resealed, unopenable.size());
    }

    private boolean reseal(ResourceRecord record) {
        String associatedData = ResourceRecord.associatedData(record.kind(), record.name());
        try {
            Keyring keyring = keyrings.keyring();
            byte[] plaintext = keyring.open(record.sealed(), associatedData);
            Sealed sealed = keyring.seal(plaintext, associatedData);
            // false: the row changed meanwhile (updated or already resealed); it is then no longer ours to fix
            store.reseal(record.kind(), record.name(), record.keyId(), sealed.ciphertext(), sealed.keyId());
            faults.reached(FaultPoints.KEY_SWEEP_RESEALED);
            return true;
        } catch (GeneralSecurityException tampered) {
            LOG.error("Sealed secret of {}/{} does not open (tampered or moved); leaving it under key {}",
                    record.kind(), record.name(), record.keyId());
            return false;
        }
    }

    private void retireUnusedKeys(int primary) {
        Map<Integer, Long> inUse = store.countSealedByKey();
        Set<Integer> retire = keyrings.keyring().keys().stream()
                .filter(key -> key.enabled() && key.id() != primary && !inUse.containsKey(key.id()))
                .map(Keyring.KeyInfo::id)
                .collect(Collectors.toSet());
        if (retire.isEmpty()) {
            return;
        }
        Instant retirable = keyrings.lastChanged().plus(oldKeyGrace);
        if (clock.instant().isBefore(retirable)) {
            LOG.info("Keys {} wrap no stored secret any more; they are retired after {}, when the workload access "
                    + "tokens they sealed have expired", retire, retirable);
        } else {
            keyrings.retire(retire);
            LOG.info("Retired keys {}: no secret uses them any more", retire);
        }
    }

    /** Outcome of one sweep. */
    public record Result(int resealed, int unopenable) {
    }

}
