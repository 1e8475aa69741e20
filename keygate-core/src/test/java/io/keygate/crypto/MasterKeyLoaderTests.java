package io.keygate.crypto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link MasterKeyLoader} and {@link MasterKey#fromBase64}: the environment variable wins over the
 * key file, bad keys are refused with what to fix, a key file is generated owner-only only on the
 * very first start, and a missing key once a keyring exists is an error, never a new key (TV-3).
 */
class MasterKeyLoaderTests {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    private static String randomKey(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Test
    void loadWhenEnvironmentAndFileBothSetThenEnvironmentWins() throws IOException {
        String fromEnvironment = randomKey(32);
        Path keyFile = Files.writeString(dir.resolve("master.key"), randomKey(32) + "\n");

        MasterKey key = MasterKeyLoader.load(fromEnvironment, keyFile, true);

        assertThat(key).isEqualTo(MasterKey.fromBase64(fromEnvironment, "expected"));
        assertThat(key.origin()).isEqualTo(MasterKeyLoader.ENVIRONMENT_VARIABLE);
    }

    @Test
    void loadWhenEnvironmentBlankThenFileUsed() throws IOException {
        String fromFile = randomKey(32);
        Path keyFile = Files.writeString(dir.resolve("master.key"), fromFile + "\n");

        MasterKey key = MasterKeyLoader.load("  ", keyFile, true);

        assertThat(key).isEqualTo(MasterKey.fromBase64(fromFile, "expected"));
        assertThat(key.origin()).contains(keyFile.toString());
    }

    @Test
    void loadWhenEnvironmentNotBase64ThenIllegalArgumentSayingHowToGenerate() {
        assertThatThrownBy(() -> MasterKeyLoader.load("not base64 at all!", dir.resolve("master.key"), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("base64")
                .hasMessageContaining("openssl rand -base64 32");
        assertThat(dir.resolve("master.key")).doesNotExist();
    }

    @Test
    void loadWhenEnvironmentWrongLengthThenIllegalArgumentSaying32Bytes() {
        assertThatThrownBy(() -> MasterKeyLoader.load(randomKey(16), dir.resolve("master.key"), false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes")
                .hasMessageContaining("got 16")
                .hasMessageContaining("openssl rand -base64 32");
    }

    @Test
    void loadWhenFileHoldsWrongLengthThenIllegalArgumentNamingFile() throws IOException {
        Path keyFile = Files.writeString(dir.resolve("master.key"), randomKey(31));
        assertThatThrownBy(() -> MasterKeyLoader.load(null, keyFile, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(keyFile.toString())
                .hasMessageContaining("32 bytes");
    }

    @Test
    void fromBase64WhenUrlAlphabetThenSameKeyAsStandardAlphabet() {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) 0xfb); // encodes to '+' and '/' in the standard alphabet
        String standard = Base64.getEncoder().encodeToString(bytes);
        String url = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        assertThat(url).contains("-", "_");
        assertThat(MasterKey.fromBase64(url, "url")).isEqualTo(MasterKey.fromBase64(standard, "standard"));
    }

    @Test
    void loadWhenNothingSuppliedOnFirstStartThenOwnerOnlyKeyFileGenerated() throws IOException {
        Path keyFile = dir.resolve("data").resolve("master.key");

        MasterKey generated = MasterKeyLoader.load(null, keyFile, false);

        assertThat(keyFile).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(Files.readString(keyFile, StandardCharsets.US_ASCII).trim())).hasSize(32);
        assertThat(MasterKeyLoader.load(null, keyFile, true)).isEqualTo(generated);
    }

    @Test
    void loadWhenGeneratedTwiceInDifferentDirectoriesThenKeysDiffer() {
        MasterKey first = MasterKeyLoader.load(null, dir.resolve("a.key"), false);
        MasterKey second = MasterKeyLoader.load(null, dir.resolve("b.key"), false);
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void loadWhenNothingSuppliedAndKeyringExistsThenIllegalStateNamingVariableAndNoFileWritten() {
        Path keyFile = dir.resolve("master.key");
        assertThatThrownBy(() -> MasterKeyLoader.load(null, keyFile, true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("KEYGATE_MASTER_KEY")
                .hasMessageContaining(keyFile.toString());
        assertThat(keyFile).doesNotExist();
    }

    @Test
    void toStringWhenCalledThenNamesOriginButNotKey() {
        String encoded = randomKey(32);
        MasterKey key = MasterKey.fromBase64(encoded, "test origin");
        assertThat(key.toString()).contains("test origin").doesNotContain(encoded);
    }
}
