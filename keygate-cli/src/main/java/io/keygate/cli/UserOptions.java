package io.keygate.cli;

import picocli.CommandLine.Option;

import java.io.IOException;

/**
 * Who a workload access token or a completion is for: a user id, or the user's JWT read from a file
 * or standard input (a JWT is a credential, never a flag). Used as an exclusive argument group.
 */
final class UserOptions {
    @Option(names = "--user-id", description = "The user id (flows started ForUserId).")
    String userId;
    @Option(names = "--user-token-file", description = "File holding the user's JWT, - for standard input "
            + "(flows started ForJWT).")
    String userTokenFile;

    /** The user's JWT, or null when a user id was given. */
    String userToken() throws IOException {
        return userTokenFile == null ? null : SecretInput.read(userTokenFile, "--user-token-file");
    }
}
