package io.keygate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/**
 * {@code keygate tokens get|api-key PROVIDER}: what a workload asks for with its workload access token
 * (GetResourceOauth2Token, GetResourceApiKey). The workload access token is read from standard input
 * (pipe {@code keygate workloads token}) or a file.
 */
@Command(name = "tokens", mixinStandardHelpOptions = true,
        description = "Get a provider's token or API key for a workload access token.",
        subcommands = {TokensCommand.Get.class, TokensCommand.ApiKey.class})
final class TokensCommand {

    /** Where the workload access token comes from. */
    static final class WorkloadTokenOption {
        @Option(names = "--workload-token-file", defaultValue = "-",
                description = "File holding the workload access token; - (default) reads standard input.")
        String file;

        String read() throws Exception {
            return SecretInput.read(file, "--workload-token-file");
        }
    }

    @Command(name = "get", description = "GetResourceOauth2Token: an access token (M2M, or USER_FEDERATION from the vault), "
            + "or the authorizationUrl and sessionUri of a consent session.")
    static final class Get extends ClientCommand {
        @Parameters(paramLabel = "PROVIDER", description = "OAuth2 credential provider name.")
        String provider;
        @Option(names = "--flow", required = true, description = "M2M or USER_FEDERATION.")
        String flow;
        @Option(names = "--scope", description = "Scope to ask for (repeatable).")
        List<String> scopes;
        @Option(names = "--return-url", description = "resourceOauth2ReturnUrl (USER_FEDERATION).")
        String returnUrl;
        @Option(names = "--session-uri", description = "Poll this consent session (USER_FEDERATION).")
        String sessionUri;
        @Option(names = "--force-authentication", description = "Start a new consent even with a token in the vault.")
        Boolean forceAuthentication;
        @Mixin
        WorkloadTokenOption workloadToken;

        @Override
        void run(ApiClient client) throws Exception {
            print(client.call("POST", "/identities/oauth2/token", fields("workloadIdentityToken", workloadToken.read(),
                    "resourceCredentialProviderName", provider, "scopes", scopes == null ? List.of() : scopes,
                    "oauth2Flow", flow, "resourceOauth2ReturnUrl", returnUrl, "sessionUri", sessionUri,
                    "forceAuthentication", forceAuthentication)));
        }
    }

    @Command(name = "api-key", description = "GetResourceApiKey: the API key of an API-key credential provider.")
    static final class ApiKey extends ClientCommand {
        @Parameters(paramLabel = "PROVIDER", description = "API-key credential provider name.")
        String provider;
        @Mixin
        WorkloadTokenOption workloadToken;

        @Override
        void run(ApiClient client) throws Exception {
            print(client.call("POST", "/identities/api-key", fields("workloadIdentityToken", workloadToken.read(),
                    "resourceCredentialProviderName", provider)));
        }
    }
}
