package io.keygate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code keygate access-keys create|list|delete}. */
@Command(name = "access-keys", mixinStandardHelpOptions = true, description = "Manage the access keys callers sign with.",
        subcommands = {AccessKeysCommand.Create.class, AccessKeysCommand.ListKeys.class, AccessKeysCommand.Delete.class})
final class AccessKeysCommand {

    @Command(name = "create", description = "Create a key: --admin, or --workload NAME (repeatable) for a data-plane-only key.")
    static final class Create extends ClientCommand {
        @Option(names = "--admin", description = "May call everything.")
        boolean admin;
        @Option(names = "--workload", description = "Workload identity the key may act for (repeatable).")
        List<String> workloads;
        @Option(names = "--description", description = "Free text shown in the list.")
        String description;

        @Override
        void run(ApiClient client) throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("role", admin ? "ADMIN" : "WORKLOAD");
            body.put("workloads", workloads);
            body.put("description", description);
            print(client.call("POST", "/keygate/v1/access-keys", body));
        }
    }

    @Command(name = "list", description = "List keys (never their secrets).")
    static final class ListKeys extends ClientCommand {
        @Override
        void run(ApiClient client) throws Exception {
            print(client.call("GET", "/keygate/v1/access-keys", null));
        }
    }

    @Command(name = "delete", description = "Revoke a key.")
    static final class Delete extends ClientCommand {
        @Parameters(paramLabel = "ACCESS_KEY_ID")
        String accessKeyId;

        @Override
        void run(ApiClient client) throws Exception {
            client.call("DELETE", "/keygate/v1/access-keys/" + accessKeyId, null);
            System.out.println("Deleted " + accessKeyId);
        }
    }
}
