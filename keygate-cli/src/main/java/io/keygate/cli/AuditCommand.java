package io.keygate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keygate audit}: the security event log, oldest first. */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "List audit events: token hand-outs, consent steps, completion attempts with reason codes.")
final class AuditCommand extends ClientCommand {
    @Option(names = "--max", defaultValue = "100", description = "At most this many events (default ${DEFAULT-VALUE}).")
    int max;
    @Option(names = "--next-token", description = "Continue after a previous page.")
    String nextToken;

    @Override
    void run(ApiClient client) throws Exception {
        print(client.call("GET", "/keygate/v1/audit?maxResults=" + max
                + (nextToken == null ? "" : "&nextToken=" + nextToken), null));
    }
}
