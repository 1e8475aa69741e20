package io.keygate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
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
        @Option(names = "--user-id", description = "The user id the flow was started for.")
        String userId;
        @Option(names = "--user-token-file", description = "File holding the user's JWT, - for standard input.")
        String userTokenFile;

        @Override
        void run(ApiClient client) throws Exception {
            if ((userId == null) == (userTokenFile == null)) {
                throw new IllegalArgumentException("give exactly one of --user-id or --user-token-file");
            }
            Object identifier = userId != null ? fields("userId", userId)
                    : fields("userToken", SecretInput.read(userTokenFile, "--user-token-file"));
            client.call("POST", "/identities/CompleteResourceTokenAuth",
                    fields("sessionUri", sessionUri, "userIdentifier", identifier));
            System.out.println("Completed " + sessionUri);
        }
    }
}
