package io.keygate.crypto;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Finds the master key: {@code KEYGATE_MASTER_KEY} first, else the key file. A key file is generated
 * only on the very first start (no keyring stored yet), with a warning that production should supply
 * its own key; once a keyring exists, a missing key is an error, never a reason to make a new one.
 */
public final class MasterKeyLoader {
    public static final String ENVIRONMENT_VARIABLE = "KEYGATE_MASTER_KEY";
    private static final Logger LOG = LoggerFactory.getLogger(MasterKeyLoader.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private MasterKeyLoader() {
    }

    /**
     * @param environmentValue value of {@code KEYGATE_MASTER_KEY}, or null
     * @param keyFile          the key file path
     * @param keyringExists    whether a keyring is already stored
     * @throws IllegalStateException with what to fix when no key can be had
     */
    public static MasterKey load(String environmentValue, Path keyFile, boolean keyringExists) {
        if (environmentValue != null && !environmentValue.isBlank()) {
            return MasterKey.fromBase64(environmentValue, ENVIRONMENT_VARIABLE);
        }
        if (Files.exists(keyFile)) {
            try {
                return MasterKey.fromBase64(Files.readString(keyFile, StandardCharsets.US_ASCII), "key file " + keyFile);
            } catch (IOException unreadable) {
                throw new IllegalStateException("cannot read the master key file " + keyFile + ": " + unreadable.getMessage());
            }
        }
        if (keyringExists) {
            throw new IllegalStateException("no master key: set " + ENVIRONMENT_VARIABLE
                    + " or restore the key file " + keyFile + " that was used when the keyring was created");
        }
        return generate(keyFile);
    }

    private static MasterKey generate(Path keyFile) {
        MasterKey key = MasterKey.generate("key file " + keyFile);
        try {
            Files.createDirectories(keyFile.toAbsolutePath().getParent());
            Files.deleteIfExists(keyFile);
            Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.writeString(keyFile, key.toBase64() + "\n", StandardCharsets.US_ASCII);
        } catch (IOException unwritable) {
            throw new IllegalStateException("cannot write the master key file " + keyFile + ": " + unwritable.getMessage());
        }
        LOG.warn("Generated a master key in {} (mode 0600). Production should supply its own key through {} "
                + "and keep it outside the data directory.", keyFile, ENVIRONMENT_VARIABLE);
        return key;
    }
}
