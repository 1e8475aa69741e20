package io.keygate.crypto;

import io.keygate.store.ResourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Keyring}: envelope encryption bound to the row identity (TV-1: any altered bit or a
 * ciphertext moved to another row fails to open) and the versioned keyring (TV-2: rotation keeps old
 * keys opening until they are retired; the keyring itself is stored only encrypted).
 */
class KeyringTests {
    private static final String ROW = ResourceRecord.associatedData("test-kind", "alpha");
    private static final String OTHER_ROW = ResourceRecord.associatedData("test-kind", "beta");
    private static final byte[] SECRET = "canary-secret-123".getBytes(StandardCharsets.UTF_8);

    private final Keyring keyring = Keyring.generate();

    @Test
    void openWhenSealedWithSameAssociatedDataThenReturnsPlaintext() throws GeneralSecurityException {
        Sealed sealed = keyring.seal(SECRET, ROW);
        assertThat(keyring.open(sealed.ciphertext(), ROW)).isEqualTo(SECRET);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lengthHeader", "wrappedKeyVersion", "wrappedKeyId", "wrappedKeyBody", "payloadNonce",
            "payloadBody", "lastByte"})
    void openWhenCiphertextBitFlippedThenFails(String position) {
        byte[] ciphertext = keyring.seal(SECRET, ROW).ciphertext();
        int wrappedKeyLength = ByteBuffer.wrap(ciphertext).getInt(0);
        int payload = 4 + wrappedKeyLength;
        int index = switch (position) {
            case "lengthHeader" -> 3;
            case "wrappedKeyVersion" -> 4;
            case "wrappedKeyId" -> 7;
            case "wrappedKeyBody" -> 4 + wrappedKeyLength / 2;
            case "payloadNonce" -> payload + 2;
            case "payloadBody" -> payload + 12 + SECRET.length / 2;
            case "lastByte" -> ciphertext.length - 1;
            default -> throw new IllegalArgumentException(position);
        };
        ciphertext[index] ^= 0x01;
        assertThatThrownBy(() -> keyring.open(ciphertext, ROW)).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void openWhenAnySingleByteAlteredThenFails() {
        byte[] original = keyring.seal(SECRET, ROW).ciphertext();
        for (int i = 0; i < original.length; i++) {
            byte[] altered = original.clone();
            altered[i] ^= (byte) 0x80;
            int index = i;
            assertThatThrownBy(() -> keyring.open(altered, ROW))
                    .as("byte %d of %d flipped", index, original.length)
                    .isInstanceOf(GeneralSecurityException.class);
        }
    }

    @Test
    void openWhenCiphertextMovedToAnotherRowThenFails() {
        byte[] ciphertext = keyring.seal(SECRET, ROW).ciphertext();
        assertThatThrownBy(() -> keyring.open(ciphertext, OTHER_ROW)).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void sealWhenCalledTwiceThenCiphertextsDiffer() {
        assertThat(keyring.seal(SECRET, ROW).ciphertext()).isNotEqualTo(keyring.seal(SECRET, ROW).ciphertext());
    }

    @Test
    void sealWhenPlaintextIsCanaryThenCiphertextDoesNotContainIt() {
        byte[] ciphertext = keyring.seal(SECRET, ROW).ciphertext();
        assertThat(new String(ciphertext, StandardCharsets.ISO_8859_1))
                .doesNotContain(new String(SECRET, StandardCharsets.ISO_8859_1));
    }

    @Test
    void keyIdOfWhenSealedThenEqualsPrimaryAndSealedKeyId() {
        Sealed sealed = keyring.seal(SECRET, ROW);
        assertThat(Keyring.keyIdOf(sealed.ciphertext())).isEqualTo(keyring.primaryKeyId()).isEqualTo(sealed.keyId());
    }

    @Test
    void keyIdOfWhenTooShortThenIllegalArgument() {
        assertThatThrownBy(() -> Keyring.keyIdOf(new byte[8])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rotateWhenSealingAfterwardsThenNewPrimaryUsedAndOldCiphertextStillOpens() throws GeneralSecurityException {
        int oldId = keyring.primaryKeyId();
        byte[] old = keyring.seal(SECRET, ROW).ciphertext();

        Keyring rotated = keyring.rotate();

        assertThat(rotated.primaryKeyId()).isNotEqualTo(oldId);
        assertThat(keyring.primaryKeyId()).as("rotation returns a new keyring").isEqualTo(oldId);
        assertThat(rotated.seal(SECRET, ROW).keyId()).isEqualTo(rotated.primaryKeyId());
        assertThat(rotated.open(old, ROW)).isEqualTo(SECRET);
        assertThat(rotated.keys()).containsExactlyInAnyOrder(new Keyring.KeyInfo(oldId, false, true),
                new Keyring.KeyInfo(rotated.primaryKeyId(), true, true));
    }

    @Test
    void retireWhenOldKeyRetiredThenOldCiphertextNoLongerOpens() throws GeneralSecurityException {
        int oldId = keyring.primaryKeyId();
        byte[] old = keyring.seal(SECRET, ROW).ciphertext();
        Keyring rotated = keyring.rotate();
        byte[] fresh = rotated.seal(SECRET, ROW).ciphertext();

        Keyring retired = rotated.retire(Set.of(oldId));

        assertThatThrownBy(() -> retired.open(old, ROW)).isInstanceOf(GeneralSecurityException.class);
        assertThat(retired.open(fresh, ROW)).isEqualTo(SECRET);
        assertThat(retired.keys()).contains(new Keyring.KeyInfo(oldId, false, false));
    }

    @Test
    void retireWhenPrimaryIdGivenThenPrimaryStaysEnabled() throws GeneralSecurityException {
        byte[] ciphertext = keyring.seal(SECRET, ROW).ciphertext();
        Keyring same = keyring.retire(Set.of(keyring.primaryKeyId()));
        assertThat(same.keys()).containsExactly(new Keyring.KeyInfo(keyring.primaryKeyId(), true, true));
        assertThat(same.open(ciphertext, ROW)).isEqualTo(SECRET);
    }

    @Test
    void decryptWhenSameMasterKeyThenOpensEarlierCiphertexts() throws GeneralSecurityException {
        MasterKey masterKey = MasterKey.generate("test");
        byte[] ciphertext = keyring.seal(SECRET, ROW).ciphertext();

        Keyring restored = Keyring.decrypt(keyring.encrypt(masterKey), masterKey);

        assertThat(restored.primaryKeyId()).isEqualTo(keyring.primaryKeyId());
        assertThat(restored.open(ciphertext, ROW)).isEqualTo(SECRET);
    }

    @Test
    void decryptWhenOtherMasterKeyThenFails() {
        String encrypted = keyring.encrypt(MasterKey.generate("test"));
        assertThatThrownBy(() -> Keyring.decrypt(encrypted, MasterKey.generate("other")))
                .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void encryptWhenSerializedThenKeysetIsEncryptedAndCarriesNoKeyData() {
        String encrypted = keyring.encrypt(MasterKey.generate("test"));
        assertThat(encrypted).contains("encryptedKeyset").doesNotContain("keyData");
    }
}
