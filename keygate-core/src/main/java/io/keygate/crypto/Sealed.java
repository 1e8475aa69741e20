package io.keygate.crypto;

/**
 * An envelope ciphertext and the id of the keyring key that wraps its data key.
 *
 * @param ciphertext the envelope, opaque outside {@link Keyring}
 * @param keyId      keyring key id, stored beside the ciphertext so the rotation sweep can find old rows
 */
public record Sealed(byte[] ciphertext, int keyId) {
    public Sealed {
        ciphertext = ciphertext.clone();
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }
}
