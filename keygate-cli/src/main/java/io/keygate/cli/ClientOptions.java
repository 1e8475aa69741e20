package io.keygate.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options shared by every command that calls a running node. */
final class ClientOptions {
    @Option(names = "--endpoint", defaultValue = "${env:KEYGATE_ENDPOINT:-http://127.0.0.1:8600}",
            description = "Keygate URL (default ${DEFAULT-VALUE}).")
    String endpoint;
    @Option(names = "--data-dir", defaultValue = "${env:KEYGATE_DATA_DIR:-${sys:user.home}/.keygate}",
            description = "Data directory whose credentials file to use (default ${DEFAULT-VALUE}).")
    Path dataDir;
    @Option(names = "--credentials-file", description = "AWS shared-credentials file (default <data-dir>/credentials).")
    Path credentialsFile;
    @Option(names = "--profile", defaultValue = "keygate", description = "Profile in the credentials file (default ${DEFAULT-VALUE}).")
    String profile;
    @Option(names = "--region", defaultValue = "us-east-1", description = "Region to sign for (any; default ${DEFAULT-VALUE}).")
    String region;

    Path credentialsFile() {
        return credentialsFile != null ? credentialsFile : dataDir.resolve("credentials");
    }
}
