package io.keygate.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One stored resource: its non-secret fields as a JSON document and at most one sealed secret.
 *
 * <p>{@code sealed} is an AEAD ciphertext whose associated data is {@link #associatedData(String, String)}
 * of this row, so a ciphertext copied into another row fails to open (security.md TV-1). {@code keyId}
 * names the keyring key that wraps it, so the rotation sweep finds old rows without decrypting them.
 *
 * @param kind        resource kind, e.g. {@code oauth2-credential-provider}
 * @param name        unique name within the kind
 * @param document    JSON of the non-secret fields
 * @param sealed      sealed secret, or null when the resource has none
 * @param keyId       keyring key id of {@code sealed}, or null when there is none
 * @param version     optimistic-concurrency version, starts at 1
 */
public record ResourceRecord(String kind, String name, String document, byte[] sealed, Integer keyId, long version,
                             Instant createdTime, Instant updatedTime) {
    public ResourceRecord {
        Objects.requireNonNull(kind, "kind must not be null");
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(document, "document must not be null");
        Objects.requireNonNull(createdTime, "createdTime must not be null");
        Objects.requireNonNull(updatedTime, "updatedTime must not be null");
        if ((sealed == null) != (keyId == null)) {
            throw new IllegalArgumentException("sealed and keyId go together");
        }
        sealed = sealed == null ? null : sealed.clone();
    }

    /** The associated data that binds a sealed secret to the row {@code kind}/{@code name}. */
    public static String associatedData(String kind, String name) {
        return "keygate/" + kind + "/" + name;
    }

    @Override
    public byte[] sealed() {
        return sealed == null ? null : sealed.clone();
    }

    public ResourceRecord withDocument(String newDocument, Instant now) {
        return new ResourceRecord(kind, name, newDocument, sealed, keyId, version, createdTime, now);
    }

    public ResourceRecord withSealed(byte[] newSealed, Integer newKeyId, Instant now) {
        return new ResourceRecord(kind, name, document, newSealed, newKeyId, version, createdTime, now);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ResourceRecord that && kind.equals(that.kind) && name.equals(that.name)
                && document.equals(that.document) && Arrays.equals(sealed, that.sealed)
                && Objects.equals(keyId, that.keyId) && version == that.version
                && createdTime.equals(that.createdTime) && updatedTime.equals(that.updatedTime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, name, version);
    }

    @Override
    public String toString() {
        return "ResourceRecord[" + kind + "/" + name + " v" + version + (keyId == null ? "" : " key " + keyId) + "]";
    }
}
