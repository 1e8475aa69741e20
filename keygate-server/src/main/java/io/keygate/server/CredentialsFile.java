package io.keygate.server;

import io.keygate.access.AccessKeyService;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes the bootstrap admin key in AWS shared-credentials format (profile {@code [keygate]}, mode
 * 0600), so the AWS CLI, the SDKs ({@code AWS_SHARED_CREDENTIALS_FILE}, {@code AWS_PROFILE}) and the
 * Keygate CLI use it as is.
 *
 * @see <a href="https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html">Shared config and credentials files</a>
 */
public final class CredentialsFile {
    public static final String PROFILE = "keygate";

    private CredentialsFile() {
    }

    public static void write(Path file, AccessKeyService.IssuedAccessKey key) {
        String content = "# Keygate bootstrap admin access key. Keep this file secret (mode 0600).\n"
                + "[" + PROFILE + "]\n"
                + "aws_access_key_id = " + key.accessKey().accessKeyId() + "\n"
                + "aws_secret_access_key = " + key.secretAccessKey() + "\n";
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(temporary);
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the credentials file " + file, e);
        }
    }
}
