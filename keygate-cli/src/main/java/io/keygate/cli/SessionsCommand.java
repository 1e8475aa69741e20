package io.keygate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** {@code keygate sessions show URI}: the session inspector. */
@Command(name = "sessions", mixinStandardHelpOptions = true, description = "Inspect 3LO consent sessions.",
        subcommands = {SessionsCommand.Show.class})
final class SessionsCommand {

    @Command(name = "show", description = "Show a session's state and timeline (never a token, code or state).")
    static final class Show extends ClientCommand {
        @Parameters(paramLabel = "SESSION_URI", description = "The sessionUri (urn:ietf:params:oauth:request_uri:…).")
        String sessionUri;

        @Override
        void run(ApiClient client) throws Exception {
            print(client.call("GET", "/keygate/v1/sessions/" + URLEncoder.encode(sessionUri, StandardCharsets.UTF_8), null));
        }
    }
}
