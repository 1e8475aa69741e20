package io.keygate.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.subtle.AesGcmJce;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * The key-encryption key of the keyring: 32 bytes that never touch the database. It comes from
 * {@code KEYGATE_MASTER_KEY} (base64) or from a 0600 key file; see {@link MasterKeyLoader}.
 */
public final class MasterKey {
    static final int LENGTH = 32;
    private final byte[] bytes;
    private final String origin;

    private MasterKey(byte[] bytes, String origin) {
        this.bytes = bytes.clone();
        this.origin = Objects.requireNonNull(origin, "origin must not be null");
    }

    /**
     * Decodes a base64 (standard or URL alphabet) master key.
     *
     * @throws IllegalArgumentException with a message saying what to fix when it is not 32 bytes
     */
    public static MasterKey fromBase64(String encoded, String origin) {
        byte[] decoded;
        String trimmed = encoded.trim();
        try {
            decoded = trimmed.contains("-") || trimmed.contains("_")
                    ? Base64.getUrlDecoder().decode(trimmed) : Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException(origin + " is not base64; generate one with: openssl rand -base64 32");
        }
        if (decoded.length != LENGTH) {
            throw new IllegalArgumentException(origin + " must decode to 32 bytes, got " + decoded.length
                    + "; generate one with: openssl rand -base64 32");
        }
        return new MasterKey(decoded, origin);
    }

    static MasterKey generate(String origin) {
        byte[] random = new byte[LENGTH];
        new SecureRandom().nextBytes(random);
        return new MasterKey(random, origin);
    }

    String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Where this key came from (an environment variable or a file), for messages. Never the key. */
    public String origin() {
        return origin;
    }

    Aead aead() {
        try {
            return new AesGcmJce(bytes);
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("AES-256-GCM is not available in this JVM", impossible);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MasterKey that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "MasterKey[" + origin + "]";
    }
}
