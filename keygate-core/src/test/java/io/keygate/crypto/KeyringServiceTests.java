package io.keygate.crypto;

import io.keygate.error.ErrorCode;
import io.keygate.error.ServiceException;
import io.keygate.store.InMemoryResourceStore;
import io.keygate.store.ResourceRecord;
import org.junit.jupiter.api.Test;

import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link KeyringService}: sealed by default and on a wrong or missing master key, with no plaintext
 * fallback (TV-3); the keyring is shared through the store, so a rotation on one node is picked up by
 * the others (TV-2); secrets are bound to their row (TV-1).
 */
class KeyringServiceTests {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    private static final String ROW = ResourceRecord.associatedData("test-kind", "alpha");

    private final InMemoryResourceStore store = new InMemoryResourceStore();
    private final MasterKey masterKey = MasterKey.generate("test");

    private KeyringService unsealedNode(MasterKey key) {
        KeyringService node = new KeyringService(store, CLOCK);
        node.unseal(() -> key);
        return node;
    }

    @Test
    void sealWhenNeverUnsealedThenSealedError() {
        KeyringService service = new KeyringService(store, CLOCK);
        assertThat(service.isSealed()).isTrue();
        assertThatThrownBy(() -> service.seal("secret", ROW))
                .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SEALED));
    }

    @Test
    void unsealWhenFirstStartThenKeyringCreatedEncryptedAndNotSealed() {
        KeyringService service = new KeyringService(store, CLOCK);
        assertThat(service.keyringExists()).isFalse();

        service.unseal(() -> masterKey);

        assertThat(service.isSealed()).isFalse();
        assertThat(service.sealedReason()).isNull();
        assertThat(service.keyringExists()).isTrue();
        ResourceRecord stored = store.find(KeyringService.KIND, KeyringService.NAME).orElseThrow();
        assertThat(stored.document()).contains("encryptedKeyset").doesNotContain("keyData");
        assertThat(stored.createdTime()).isEqualTo(CLOCK.instant());
    }

    @Test
    void openWhenSecondNodeUsesSameMasterKeyThenOpensSecretsOfFirst() throws GeneralSecurityException {
        KeyringService first = unsealedNode(masterKey);
        Sealed sealed = first.seal("canary-secret-123", ROW);

        KeyringService second = unsealedNode(masterKey);

        assertThat(second.isSealed()).isFalse();
        assertThat(second.keyring().primaryKeyId()).isEqualTo(first.keyring().primaryKeyId());
        assertThat(second.open(sealed.ciphertext(), ROW)).isEqualTo("canary-secret-123");
    }

    @Test
    void openWhenAssociatedDataOfAnotherRowThenFails() {
        KeyringService service = unsealedNode(masterKey);
        byte[] ciphertext = service.seal("canary-secret-123", ROW).ciphertext();
        assertThatThrownBy(() -> service.open(ciphertext, ResourceRecord.associatedData("test-kind", "beta")))
                .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void unsealWhenOtherMasterKeyThenSealedAndSecretsRefused() {
        KeyringService first = unsealedNode(masterKey);
        byte[] ciphertext = first.seal("canary-secret-123", ROW).ciphertext();
        String storedKeyring = store.find(KeyringService.KIND, KeyringService.NAME).orElseThrow().document();

        KeyringService wrong = unsealedNode(MasterKey.generate("wrong"));

        assertThat(wrong.isSealed()).isTrue();
        assertThat(wrong.sealedReason()).contains("master key");
        assertThatThrownBy(() -> wrong.seal("x", ROW))
                .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SEALED));
        assertThatThrownBy(() -> wrong.open(ciphertext, ROW))
                .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SEALED));
        assertThat(store.find(KeyringService.KIND, KeyringService.NAME).orElseThrow().document())
                .as("a wrong key must never replace the stored keyring").isEqualTo(storedKeyring);
    }

    @Test
    void unsealWhenKeySourceFailsThenSealedWithItsMessageAndNoKeyringCreated() {
        KeyringService service = new KeyringService(store, CLOCK);

        service.unseal(() -> {
            throw new IllegalStateException("no master key: set KEYGATE_MASTER_KEY");
        });

        assertThat(service.isSealed()).isTrue();
        assertThat(service.sealedReason()).isEqualTo("no master key: set KEYGATE_MASTER_KEY");
        assertThat(service.keyringExists()).isFalse();
        assertThatThrownBy(service::keyring)
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.SEALED);
                    assertThat(e.getMessage()).contains("KEYGATE_MASTER_KEY");
                });
    }

    @Test
    void openWhenAnotherNodeRotatedThenReloadsAndOpensNewCiphertext() throws GeneralSecurityException {
        KeyringService nodeA = unsealedNode(masterKey);
        KeyringService nodeB = unsealedNode(masterKey);
        int oldPrimary = nodeB.keyring().primaryKeyId();

        int newPrimary = nodeA.rotate();
        Sealed sealed = nodeA.seal("after-rotation", ROW);

        assertThat(newPrimary).isNotEqualTo(oldPrimary);
        assertThat(sealed.keyId()).isEqualTo(newPrimary);
        assertThat(nodeB.open(sealed.ciphertext(), ROW)).isEqualTo("after-rotation");
        assertThat(nodeB.keyring().primaryKeyId()).isEqualTo(newPrimary);
    }

    @Test
    void sealWhenAnotherNodeRotatedThenUsesStoredPrimary() {
        KeyringService nodeA = unsealedNode(masterKey);
        KeyringService nodeB = unsealedNode(masterKey);

        int newPrimary = nodeA.rotate();

        assertThat(nodeB.seal("written-on-b", ROW).keyId())
                .as("a node must not keep sealing under a key another node rotated away from")
                .isEqualTo(newPrimary);
    }

    @Test
    void sealWhenAnotherNodeRetiredOldKeyThenSecretOpensOnThatNode() throws GeneralSecurityException {
        KeyringService nodeA = unsealedNode(masterKey);
        KeyringService nodeB = unsealedNode(masterKey);
        int oldPrimary = nodeA.keyring().primaryKeyId();
        nodeA.rotate();
        nodeA.retire(Set.of(oldPrimary));

        Sealed sealedOnB = nodeB.seal("written-on-b", ROW);

        assertThat(nodeA.open(sealedOnB.ciphertext(), ROW)).isEqualTo("written-on-b");
    }

    @Test
    void rotateWhenDoneThenPersistedForNodesStartedLater() throws GeneralSecurityException {
        KeyringService nodeA = unsealedNode(masterKey);
        byte[] old = nodeA.seal("before-rotation", ROW).ciphertext();

        int newPrimary = nodeA.rotate();
        KeyringService later = unsealedNode(masterKey);

        assertThat(later.keyring().primaryKeyId()).isEqualTo(newPrimary);
        assertThat(later.open(old, ROW)).isEqualTo("before-rotation");
        assertThat(store.find(KeyringService.KIND, KeyringService.NAME).orElseThrow().version()).isEqualTo(2);
    }
}
