package io.keygate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code keygate workloads list|create|delete}. */
@Command(name = "workloads", mixinStandardHelpOptions = true, description = "Manage workload identities.",
        subcommands = {WorkloadsCommand.ListWorkloads.class, WorkloadsCommand.Create.class, WorkloadsCommand.Delete.class})
final class WorkloadsCommand {

    @Command(name = "list", description = "List workload identities.")
    static final class ListWorkloads extends ClientCommand {
        @Override
        void run(ApiClient client) throws Exception {
            print(client.call("POST", "/identities/ListWorkloadIdentities", Map.of()));
        }
    }

    @Command(name = "create", description = "Create a workload identity.")
    static final class Create extends ClientCommand {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--return-url", description = "Allowed 3LO return URL (repeatable).")
        List<String> returnUrls;

        @Override
        void run(ApiClient client) throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("allowedResourceOauth2ReturnUrls", returnUrls);
            print(client.call("POST", "/identities/CreateWorkloadIdentity", body));
        }
    }

    @Command(name = "delete", description = "Delete a workload identity.")
    static final class Delete extends ClientCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(ApiClient client) throws Exception {
            client.call("POST", "/identities/DeleteWorkloadIdentity", Map.of("name", name));
            System.out.println("Deleted " + name);
        }
    }
}
