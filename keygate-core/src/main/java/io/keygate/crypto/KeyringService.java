package io.keygate.crypto;

import io.keygate.error.Errors;
import io.keygate.store.ResourceRecord;
import io.keygate.store.ResourceStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Owns the keyring: opens it at start, seals and opens secrets, rotates. The keyring lives in the
 * {@link ResourceStore} encrypted by the master key, so every node sharing a database shares it. When
 * the master key is missing or wrong, Keygate is <em>sealed</em>: every seal/open throws a
 * {@code SEALED} error and nothing falls back to plaintext (security.md TV-3).
 */
public final class KeyringService {
    static final String KIND = "keyring";
    static final String NAME = "default";
    private static final Logger LOG = LoggerFactory.getLogger(KeyringService.class);

    private final ResourceStore store;
    private final Clock clock;
    private volatile MasterKey masterKey;
    private volatile Keyring keyring;
    private volatile long version;
    private volatile String sealedReason = "the keyring has not been opened yet";

    public KeyringService(ResourceStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    /** True when a keyring is already stored (then a missing master key must not be regenerated). */
    public boolean keyringExists() {
        return store.find(KIND, NAME).isPresent();
    }

    /**
     * Opens the stored keyring with the master key obtained from {@code masterKeySource}, or creates
     * the keyring on first start. Never throws: failure leaves the service sealed with a reason.
     */
    public synchronized void unseal(Supplier<MasterKey> masterKeySource) {
        try {
            MasterKey key = masterKeySource.get();
            Optional<ResourceRecord> stored = store.find(KIND, NAME);
            if (stored.isEmpty()) {
                create(key);
            } else {
                keyring = Keyring.decrypt(stored.get().document(), key);
                version = stored.get().version();
            }
            masterKey = key;
            sealedReason = null;
        } catch (GeneralSecurityException wrongKey) {
            seal("the master key does not open the stored keyring: supply the key it was created with");
        } catch (RuntimeException unusable) {
            seal(unusable.getMessage());
        }
    }

    private void create(MasterKey key) {
        Keyring fresh = Keyring.generate();
        var now = clock.instant();
        if (!store.insert(new ResourceRecord(KIND, NAME, fresh.encrypt(key), null, null, 1, now, now))) {
            throw new IllegalStateException("another node created the keyring at the same time; restart to open it");
        }
        keyring = fresh;
        version = 1;
        LOG.info("Created a new keyring with primary key {}", fresh.primaryKeyId());
    }

    private void seal(String reason) {
        keyring = null;
        sealedReason = reason;
        LOG.error("Keygate is sealed: {}", reason);
    }

    public boolean isSealed() {
        return keyring == null;
    }

    /** Why Keygate is sealed, or null when it is not. */
    public String sealedReason() {
        return sealedReason;
    }

    /** The current keyring, or a {@code SEALED} error. */
    public Keyring keyring() {
        Keyring current = keyring;
        if (current == null) {
            throw Errors.sealed(sealedReason);
        }
        return current;
    }

    /**
     * Seals under the primary key of the stored keyring: another node may have rotated, and a key the
     * rotation sweep retires must not wrap new secrets.
     */
    public Sealed seal(String plaintext, String associatedData) {
        keyring(); // sealed: fail with the reason before touching the store
        return reload().seal(plaintext.getBytes(StandardCharsets.UTF_8), associatedData);
    }

    /**
     * Opens a sealed secret. A key id this node does not know yet (another node rotated) reloads the
     * keyring once.
     *
     * @throws GeneralSecurityException when the ciphertext does not open under its associated data
     */
    public String open(byte[] ciphertext, String associatedData) throws GeneralSecurityException {
        Keyring current = keyring();
        if (ciphertext.length < 9) {
            throw new GeneralSecurityException("not a Keygate ciphertext");
        }
        int keyId = Keyring.keyIdOf(ciphertext);
        if (current.keys().stream().noneMatch(info -> info.id() == keyId)) {
            current = reload();
        }
        return new String(current.open(ciphertext, associatedData), StandardCharsets.UTF_8);
    }

    /** Re-reads the keyring from the store (another node may have rotated it). */
    public synchronized Keyring reload() {
        ResourceRecord stored = storedRow();
        if (stored.version() != version) {
            try {
                keyring = Keyring.decrypt(stored.document(), masterKey);
                version = stored.version();
            } catch (GeneralSecurityException e) {
                seal("the stored keyring no longer opens with this node's master key");
            }
        }
        return keyring();
    }

    /** When the stored keyring last changed (a rotation or a retirement). */
    public java.time.Instant lastChanged() {
        return storedRow().updatedTime();
    }

    /** Adds a new primary key; returns its id. Old keys keep opening until the sweep retires them. */
    public int rotate() {
        return change(Keyring::rotate).primaryKeyId();
    }

    /** Disables the given non-primary keys. */
    public Keyring retire(Set<Integer> keyIds) {
        return change(current -> current.retire(keyIds));
    }

    private synchronized Keyring change(UnaryOperator<Keyring> change) {
        Keyring current = keyring();
        for (int attempt = 0; attempt < 3; attempt++) {
            ResourceRecord stored = storedRow();
            try {
                current = Keyring.decrypt(stored.document(), masterKey);
            } catch (GeneralSecurityException e) {
                seal("the stored keyring no longer opens with this node's master key");
                throw Errors.sealed(sealedReason);
            }
            Keyring changed = change.apply(current);
            if (store.update(stored.withDocument(changed.encrypt(masterKey), clock.instant()))) {
                keyring = changed;
                version = stored.version() + 1;
                return changed;
            }
        }
        throw Errors.concurrentModification("the keyring");
    }

    private ResourceRecord storedRow() {
        return store.find(KIND, NAME).orElseThrow(() -> Errors.sealed("the keyring row is gone"));
    }
}
