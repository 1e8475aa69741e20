package io.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code keygate gateways limits}: Keygate's own settings of gateway targets (the AWS API has none). */
@Command(name = "gateways", mixinStandardHelpOptions = true, description = "Keygate settings of gateway targets.",
        subcommands = GatewaysCommand.Limits.class)
final class GatewaysCommand {

    @Command(name = "limits", description = "Show or set a target's call timeout, response size limit and "
            + "concurrency cap (unset values use the gateway.target* defaults of the Keygate config).")
    static final class Limits extends ClientCommand {
        @Parameters(index = "0", paramLabel = "GATEWAY_ID")
        String gatewayId;
        @Parameters(index = "1", paramLabel = "TARGET_ID")
        String targetId;
        @Option(names = "--timeout-seconds", description = "How long a call to this target may take (1-900).")
        Integer timeoutSeconds;
        @Option(names = "--max-response-bytes", description = "The most Keygate reads of this target's answer.")
        Integer maxResponseBytes;
        @Option(names = "--max-concurrent-calls",
                description = "How many calls one node runs at once towards this target.")
        Integer maxConcurrentCalls;
        @Option(names = "--reset", description = "Remove this target's values: the defaults apply again.")
        boolean reset;

        @Override
        void run(ApiClient client) throws Exception {
            String path = "/keygate/v1/gateways/" + gatewayId + "/targets/" + targetId + "/limits";
            JsonNode current = client.call("GET", path, null);
            if (!reset && timeoutSeconds == null && maxResponseBytes == null && maxConcurrentCalls == null) {
                print(current);
                return;
            }
            // PUT replaces all values: keep those not given on the command line
            Map<String, Object> body = new LinkedHashMap<>();
            if (!reset) {
                body.put("timeoutSeconds", orCurrent(timeoutSeconds, current, "timeoutSeconds"));
                body.put("maxResponseBytes", orCurrent(maxResponseBytes, current, "maxResponseBytes"));
                body.put("maxConcurrentCalls", orCurrent(maxConcurrentCalls, current, "maxConcurrentCalls"));
            }
            print(client.call("PUT", path, body));
        }

        private static Number orCurrent(Integer given, JsonNode current, String field) {
            return given != null ? given : current.path("target").path(field).numberValue();
        }
    }
}
