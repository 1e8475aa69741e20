package io.keygate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Parameters;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** {@code keygate sessions show|complete URI}: the session inspector, and binding a consent to its user. */
@Command(name = "sessions", mixinStandardHelpOptions = true, description = "Inspect and complete 3LO consent sessions.",
        subcommands = {SessionsCommand.Show.class, SessionsCommand.Complete.class})
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

    @Command(name = "complete", description = "Bind a consent to the user who started it (CompleteResourceTokenAuth): "
            + "--user-id for flows started ForUserId, --user-token-file for flows started ForJWT.")
    static final class Complete extends ClientCommand {
        @Parameters(paramLabel = "SESSION_URI", description = "The session_id the return URL received.")
        String sessionUri;
        @ArgGroup(exclusive = true, multiplicity = "1")
        UserOptions user;

        @Override
        void run(ApiClient client) throws Exception {
            Object identifier = user.userId != null ? fields("userId", user.userId) : fields("userToken", user.userToken());
            client.call("POST", "/identities/CompleteResourceTokenAuth",
                    fields("sessionUri", sessionUri, "userIdentifier", identifier));
            System.out.println("Completed " + sessionUri);
        }
    }
}
