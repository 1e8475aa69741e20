package io.keygate.cli;

import picocli.CommandLine.Command;

/** {@code keygate keys status|rotate}: the keyring that seals every secret. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Inspect or rotate the keyring.",
        subcommands = {KeysCommand.Status.class, KeysCommand.Rotate.class})
final class KeysCommand {

    @Command(name = "status", description = "Show the keys, the primary, and how many secrets each seals.")
    static final class Status extends ClientCommand {
        @Override
        void run(ApiClient client) throws Exception {
            print(client.call("GET", "/keygate/v1/keys", null));
        }
    }

    @Command(name = "rotate", description = "Add a new primary key; old secrets are re-encrypted in the background.")
    static final class Rotate extends ClientCommand {
        @Override
        void run(ApiClient client) throws Exception {
            print(client.call("POST", "/keygate/v1/keys/rotate", null));
        }
    }
}
