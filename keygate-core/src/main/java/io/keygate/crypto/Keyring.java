package io.keygate.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.KmsEnvelopeAead;
import com.google.crypto.tink.aead.PredefinedAeadParameters;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A versioned keyring of AES-256-GCM key-encryption keys (a Tink keyset) used for envelope encryption:
 * every {@link #seal} makes a fresh AES-256-GCM data key, encrypts the plaintext with it and the
 * caller's associated data, and wraps the data key with the primary key. The wrapped key carries the
 * key id, so {@link #open} picks the right key and the rotation sweep can tell old rows apart
 * (security.md TV-1, TV-2, SC-4). Immutable: rotation returns a new keyring.
 *
 * @see <a href="https://developers.google.com/tink/client-side-encryption">Tink envelope encryption</a>
 */
public final class Keyring {
    private static final byte[] KEYSET_ASSOCIATED_DATA = "keygate-keyring-v1".getBytes(StandardCharsets.US_ASCII);
    /** Envelope layout: 4-byte wrapped-key length, then the wrapped key: 1 version byte, 4-byte key id, … */
    private static final int KEY_ID_OFFSET = 5;

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final KeysetHandle keyset;
    private final Aead envelope;

    private Keyring(KeysetHandle keyset) throws GeneralSecurityException {
        this.keyset = keyset;
        Aead keyEncryption = keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
        this.envelope = KmsEnvelopeAead.create(PredefinedAeadParameters.AES256_GCM, keyEncryption);
    }

    /** A new keyring with one fresh primary key. */
    public static Keyring generate() {
        try {
            return new Keyring(KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a keyring", e);
        }
    }

    /**
     * Opens a keyring serialized by {@link #encrypt(MasterKey)}.
     *
     * @throws GeneralSecurityException when the master key is wrong or the keyring was altered
     */
    public static Keyring decrypt(String encryptedKeyset, MasterKey masterKey) throws GeneralSecurityException {
        return new Keyring(TinkJsonProtoKeysetFormat.parseEncryptedKeyset(encryptedKeyset, masterKey.aead(),
                KEYSET_ASSOCIATED_DATA));
    }

    /** The keyring encrypted under the master key, safe to store beside the data. */
    public String encrypt(MasterKey masterKey) {
        try {
            return TinkJsonProtoKeysetFormat.serializeEncryptedKeyset(keyset, masterKey.aead(), KEYSET_ASSOCIATED_DATA);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt the keyring", e);
        }
    }

    /** Encrypts {@code plaintext} bound to {@code associatedData} (the row's identity). */
    public Sealed seal(byte[] plaintext, String associatedData) {
        try {
            byte[] ciphertext = envelope.encrypt(plaintext, associatedData.getBytes(StandardCharsets.UTF_8));
            return new Sealed(ciphertext, keyIdOf(ciphertext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot seal", e);
        }
    }

    /**
     * Decrypts a ciphertext made by {@link #seal} with the same associated data.
     *
     * @throws GeneralSecurityException when the ciphertext was altered, moved to another row, or its key is unknown or retired
     */
    public byte[] open(byte[] ciphertext, String associatedData) throws GeneralSecurityException {
        return envelope.decrypt(ciphertext, associatedData.getBytes(StandardCharsets.UTF_8));
    }

    /** The id of the key that wraps a ciphertext's data key, read from its header without decrypting. */
    public static int keyIdOf(byte[] ciphertext) {
        if (ciphertext.length < KEY_ID_OFFSET + 4) {
            throw new IllegalArgumentException("not a Keygate ciphertext");
        }
        return ByteBuffer.wrap(ciphertext, KEY_ID_OFFSET, 4).getInt();
    }

    public int primaryKeyId() {
        return keyset.getPrimary().getId();
    }

    /** A new keyring with a fresh primary key; the old keys stay enabled so old rows still open. */
    public Keyring rotate() {
        try {
            return new Keyring(KeysetHandle.newBuilder(keyset)
                    .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                            .withRandomId().makePrimary())
                    .build());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot rotate the keyring", e);
        }
    }

    /** A new keyring in which the given non-primary keys are disabled: they no longer open anything. */
    public Keyring retire(Set<Integer> keyIds) {
        try {
            KeysetHandle.Builder builder = KeysetHandle.newBuilder(keyset);
            for (int i = 0; i < builder.size(); i++) {
                KeysetHandle.Builder.Entry entry = builder.getAt(i);
                if (!entry.isPrimary() && keyIds.contains(keyset.getAt(i).getId())) {
                    entry.setStatus(KeyStatus.DISABLED);
                }
            }
            return new Keyring(builder.build());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot retire keys", e);
        }
    }

    /** Every key with its status; never key material. */
    public List<KeyInfo> keys() {
        List<KeyInfo> keys = new ArrayList<>();
        for (int i = 0; i < keyset.size(); i++) {
            KeysetHandle.Entry entry = keyset.getAt(i);
            keys.add(new KeyInfo(entry.getId(), entry.isPrimary(), entry.getStatus() == KeyStatus.ENABLED));
        }
        return keys;
    }

    /** One key of the keyring. */
    public record KeyInfo(int id, boolean primary, boolean enabled) {
    }
}
