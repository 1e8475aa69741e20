package io.keygate.crypto;

import io.keygate.fault.FaultPoints;
import io.keygate.store.InMemoryResourceStore;
import io.keygate.store.ResourceRecord;
import io.keygate.store.ResourceRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link KeyRotationSweep} (TV-2): after a rotation every secret is re-encrypted under the new primary
 * and still opens to the same plaintext; old keys are disabled only once no row uses them; a tampered
 * or moved row (TV-1) is reported and keeps its key enabled; the sweep is resumable and idempotent.
 */
class KeyRotationSweepTests {
    private static final String KIND = "test-kind";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    /** The document stored for each test resource. */
    public record Thing(String name) {
    }

    private final InMemoryResourceStore store = new InMemoryResourceStore();
    private final KeyringService keyrings = new KeyringService(store, CLOCK);
    private final ResourceRepository<Thing> repository =
            new ResourceRepository<>(store, keyrings, CLOCK, KIND, Thing.class, "test thing");
    private final KeyRotationSweep sweep = new KeyRotationSweep(keyrings, store, CLOCK, Duration.ZERO,
            FaultPoints.NONE);

    @BeforeEach
    void unseal() {
        keyrings.unseal(() -> MasterKey.generate("test"));
    }

    private void createThings(int count) {
        for (int i = 0; i < count; i++) {
            repository.create("thing-" + i, new Thing("thing-" + i), "secret-" + i);
        }
    }

    private ResourceRecord row(String name) {
        return store.find(KIND, name).orElseThrow();
    }

    private boolean enabled(int keyId) {
        return keyrings.keyring().keys().stream().filter(key -> key.id() == keyId).findFirst().orElseThrow().enabled();
    }

    @Test
    void runWhenRotatedThenEveryRowResealedUnderNewPrimaryAndOldKeyDisabled() {
        createThings(5);
        repository.create("no-secret", new Thing("no-secret"), null);
        int oldKey = keyrings.keyring().primaryKeyId();
        int newKey = keyrings.rotate();

        KeyRotationSweep.Result result = sweep.run();

        assertThat(result).isEqualTo(new KeyRotationSweep.Result(5, 0));
        for (int i = 0; i < 5; i++) {
            ResourceRecord record = row("thing-" + i);
            assertThat(record.keyId()).isEqualTo(newKey);
            assertThat(Keyring.keyIdOf(record.sealed())).isEqualTo(newKey);
            assertThat(record.version()).as("re-encryption is not a change of content").isEqualTo(1);
            assertThat(repository.secret("thing-" + i)).contains("secret-" + i);
        }
        assertThat(row("no-secret").sealed()).isNull();
        assertThat(store.countSealedByKey()).containsOnlyKeys(newKey);
        assertThat(keyrings.keyring().keys()).containsExactlyInAnyOrder(new Keyring.KeyInfo(oldKey, false, false),
                new Keyring.KeyInfo(newKey, true, true));
    }

    @Test
    void runWhenMoreRowsThanOneBatchThenAllResealed() {
        createThings(130);
        int newKey = keyrings.rotate();

        assertThat(sweep.run().resealed()).isEqualTo(130);
        assertThat(store.countSealedByKey()).containsOnlyKeys(newKey);
        assertThat(repository.secret("thing-129")).contains("secret-129");
    }

    @Test
    void runWhenRowTamperedThenReportedAndOldKeyStaysEnabled() {
        createThings(3);
        int oldKey = keyrings.keyring().primaryKeyId();
        byte[] tampered = row("thing-1").sealed();
        tampered[tampered.length - 1] ^= 0x01;
        assertThat(store.reseal(KIND, "thing-1", oldKey, tampered, oldKey)).isTrue();
        int newKey = keyrings.rotate();

        KeyRotationSweep.Result result = sweep.run();

        assertThat(result).isEqualTo(new KeyRotationSweep.Result(2, 1));
        assertThat(row("thing-1").keyId()).isEqualTo(oldKey);
        assertThat(row("thing-1").sealed()).isEqualTo(tampered);
        assertThat(row("thing-0").keyId()).isEqualTo(newKey);
        assertThat(repository.secret("thing-2")).contains("secret-2");
        assertThat(enabled(oldKey)).isTrue();
    }

    @Test
    void runWhenCiphertextMovedToAnotherRowThenThatRowIsUnopenable() {
        createThings(2);
        int oldKey = keyrings.keyring().primaryKeyId();
        assertThat(store.reseal(KIND, "thing-1", oldKey, row("thing-0").sealed(), oldKey)).isTrue();
        keyrings.rotate();

        assertThat(sweep.run()).isEqualTo(new KeyRotationSweep.Result(1, 1));
        assertThat(enabled(oldKey)).isTrue();
    }

    @Test
    void runWhenRunTwiceThenSecondRunResealsNothing() {
        createThings(4);
        int newKey = keyrings.rotate();
        sweep.run();
        byte[] afterFirst = row("thing-0").sealed();

        KeyRotationSweep.Result second = sweep.run();

        assertThat(second).isEqualTo(new KeyRotationSweep.Result(0, 0));
        assertThat(row("thing-0").sealed()).isEqualTo(afterFirst);
        assertThat(keyrings.keyring().primaryKeyId()).isEqualTo(newKey);
    }

    @Test
    void runWhenEarlierSweepStoppedHalfwayThenResumesWithRemainingRows() {
        createThings(4);
        int oldKey = keyrings.keyring().primaryKeyId();
        int newKey = keyrings.rotate();
        // what a sweep that crashed after two rows leaves behind
        for (String name : new String[]{"thing-0", "thing-2"}) {
            Sealed resealed = keyrings.seal(repository.secret(name).orElseThrow(), ResourceRecord.associatedData(KIND, name));
            assertThat(store.reseal(KIND, name, oldKey, resealed.ciphertext(), resealed.keyId())).isTrue();
        }

        KeyRotationSweep.Result result = sweep.run();

        assertThat(result).isEqualTo(new KeyRotationSweep.Result(2, 0));
        assertThat(store.countSealedByKey()).containsOnlyKeys(newKey);
        assertThat(enabled(oldKey)).isFalse();
        for (int i = 0; i < 4; i++) {
            assertThat(repository.secret("thing-" + i)).contains("secret-" + i);
        }
    }

    @Test
    void runWhenNotRotatedThenNothingResealedAndNoKeyRetired() {
        createThings(2);
        int primary = keyrings.keyring().primaryKeyId();
        byte[] before = row("thing-0").sealed();

        assertThat(sweep.run()).isEqualTo(new KeyRotationSweep.Result(0, 0));
        assertThat(row("thing-0").sealed()).isEqualTo(before);
        assertThat(keyrings.keyring().keys()).containsExactly(new Keyring.KeyInfo(primary, true, true));
    }

    @Test
    void runWhenKeyringChangedWithinGraceThenOldKeyOpensUntilGracePassed() throws Exception {
        createThings(2);
        int oldKey = keyrings.keyring().primaryKeyId();
        byte[] outstanding = keyrings.seal("an unstored workload access token", "wat").ciphertext();
        int newKey = keyrings.rotate();
        Duration grace = Duration.ofHours(1);

        assertThat(new KeyRotationSweep(keyrings, store, CLOCK, grace, FaultPoints.NONE).run())
                .isEqualTo(new KeyRotationSweep.Result(2, 0));
        assertThat(store.countSealedByKey()).containsOnlyKeys(newKey);
        assertThat(enabled(oldKey)).as("still inside the grace").isTrue();
        assertThat(keyrings.keyring().open(outstanding, "wat")).isNotEmpty();

        Clock later = Clock.offset(CLOCK, grace);
        assertThat(new KeyRotationSweep(keyrings, store, later, grace, FaultPoints.NONE).run())
                .isEqualTo(new KeyRotationSweep.Result(0, 0));
        assertThat(enabled(oldKey)).isFalse();
    }
}
