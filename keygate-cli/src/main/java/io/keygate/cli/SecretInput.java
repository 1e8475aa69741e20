package io.keygate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a secret (client secret, API key, JWT, workload access token) from a file or, for {@code -},
 * from standard input: never from a flag, which any user on the machine could read in {@code ps}.
 */
final class SecretInput {
    private SecretInput() {
    }

    /**
     * @param source a file path, or {@code -} for standard input
     * @param option the option that named the source, for the error message
     * @return the content without its trailing line break
     */
    static String read(String source, String option) throws IOException {
        String value;
        if ("-".equals(source)) {
            InputStream in = System.in;
            value = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } else {
            try {
                value = Files.readString(Path.of(source), StandardCharsets.UTF_8);
            } catch (NoSuchFileException missing) {
                throw new IllegalArgumentException(option + ": " + source + " does not exist; give a readable file, "
                        + "or - to read standard input");
            }
        }
        String trimmed = value.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException(option + ": " + ("-".equals(source) ? "standard input" : source)
                    + " is empty; pipe the value in (e.g. printf %s \"$VALUE\" | keygate …) or give a file");
        }
        return trimmed;
    }
}
