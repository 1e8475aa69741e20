package io.keygate.store;

import io.keygate.crypto.KeyringService;
import io.keygate.crypto.Sealed;
import io.keygate.error.Errors;
import io.keygate.json.Json;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Versioned records of one kind whose document {@code D} is stored as JSON and whose secrets {@code S}
 * are sealed as JSON with the row's identity as associated data. State machines (auth sessions, vault
 * entries) read a {@link Versioned} value and write it back with a compare-and-set on its version, alone
 * or in an atomic batch with other writes.
 *
 * @param <D> the non-secret document
 * @param <S> the sealed secrets
 */
public final class SealedDocuments<D, S> {
    private final ResourceStore store;
    private final KeyringService keyrings;
    private final Clock clock;
    private final String kind;
    private final Class<D> documentType;
    private final Class<S> secretsType;

    public SealedDocuments(ResourceStore store, KeyringService keyrings, Clock clock, String kind, Class<D> documentType,
                           Class<S> secretsType) {
        this.store = Objects.requireNonNull(store, "store must not be null");
        this.keyrings = Objects.requireNonNull(keyrings, "keyrings must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.kind = Objects.requireNonNull(kind, "kind must not be null");
        this.documentType = Objects.requireNonNull(documentType, "documentType must not be null");
        this.secretsType = Objects.requireNonNull(secretsType, "secretsType must not be null");
    }

    /** A document with its secrets as read at one version. */
    public record Versioned<D, S>(String name, D document, S secrets, ResourceRecord record) {
        public long version() {
            return record.version();
        }
    }

    public Optional<Versioned<D, S>> find(String name) {
        return store.find(kind, name).map(this::open);
    }

    private Versioned<D, S> open(ResourceRecord record) {
        S secrets = null;
        if (record.sealed() != null) {
            try {
                secrets = Json.read(keyrings.open(record.sealed(), ResourceRecord.associatedData(kind, record.name())),
                        secretsType);
            } catch (GeneralSecurityException tampered) {
                throw Errors.internal("sealed secrets of " + kind + "/" + record.name()
                        + " do not open: tampered or moved row", tampered);
            }
        }
        return new Versioned<>(record.name(), Json.read(record.document(), documentType), secrets, record);
    }

    /** Only the document, without opening the secrets (for inspection and listing). */
    public Optional<D> findDocument(String name) {
        return store.find(kind, name).map(record -> Json.read(record.document(), documentType));
    }

    public ResourceWrite insert(String name, D document, S secrets) {
        var now = clock.instant();
        Sealed sealed = seal(name, secrets);
        return new ResourceWrite.Insert(new ResourceRecord(kind, name, Json.write(document),
                sealed == null ? null : sealed.ciphertext(), sealed == null ? null : sealed.keyId(), 1, now, now));
    }

    /** A compare-and-set replacement of what {@code current} read. */
    public ResourceWrite update(Versioned<D, S> current, D document, S secrets) {
        var now = clock.instant();
        Sealed sealed = seal(current.name(), secrets);
        return new ResourceWrite.Update(current.record().withDocument(Json.write(document), now)
                .withSealed(sealed == null ? null : sealed.ciphertext(), sealed == null ? null : sealed.keyId(), now));
    }

    /** Applies writes atomically; false when any compare-and-set lost. */
    public boolean commit(ResourceWrite... writes) {
        return store.commit(List.of(writes));
    }

    public boolean delete(String name) {
        return store.delete(kind, name);
    }

    /** Up to {@code limit} documents after {@code afterName}, by name. */
    public List<Versioned<D, S>> list(String afterName, int limit) {
        return store.list(kind, afterName, limit).stream().map(this::open).toList();
    }

    private Sealed seal(String name, S secrets) {
        return secrets == null ? null : keyrings.seal(Json.write(secrets), ResourceRecord.associatedData(kind, name));
    }

    public String kind() {
        return kind;
    }
}
