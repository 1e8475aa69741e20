package io.keygate.cli;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code keygate workloads list|create|delete|trust|token|bind-login}. */
@Command(name = "workloads", mixinStandardHelpOptions = true, description = "Manage workload identities.",
        subcommands = {WorkloadsCommand.ListWorkloads.class, WorkloadsCommand.Create.class, WorkloadsCommand.Delete.class,
                WorkloadsCommand.Trust.class, WorkloadsCommand.Token.class, WorkloadsCommand.BindLogin.class})
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

    @Command(name = "trust", description = "Set the JWT issuers whose tokens prove this workload's users "
            + "(GetWorkloadAccessTokenForJWT, CompleteResourceTokenAuth with userToken).")
    static final class Trust extends ClientCommand {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--issuer", required = true, description = "The issuer (iss claim), exactly.")
        String issuer;
        @Option(names = "--discovery-url", description = "Its OpenID discovery URL (or give --jwks-uri).")
        String discoveryUrl;
        @Option(names = "--jwks-uri", description = "Its JWKS URL.")
        String jwksUri;
        @Option(names = "--audience", description = "Accepted audience (repeatable; none: aud not checked).")
        List<String> audiences;

        @Override
        void run(ApiClient client) throws Exception {
            Map<String, Object> trusted = new LinkedHashMap<>();
            trusted.put("issuer", issuer);
            trusted.put("discoveryUrl", discoveryUrl);
            trusted.put("jwksUri", jwksUri);
            trusted.put("audiences", audiences);
            print(client.call("PUT", "/keygate/v1/workload-identities/" + name + "/trusted-issuers",
                    Map.of("trustedIssuers", List.of(trusted))));
        }
    }

    @Command(name = "token", description = "Get a workload access token (GetWorkloadAccessToken, ...ForUserId with "
            + "--user-id, ...ForJWT with --user-token-file) and print it alone, to pipe into `keygate tokens`.")
    static final class Token extends ClientCommand {
        @Parameters(paramLabel = "NAME")
        String name;
        @ArgGroup(exclusive = true)
        UserOptions user;

        @Override
        void run(ApiClient client) throws Exception {
            String userId = user == null ? null : user.userId;
            String userToken = user == null ? null : user.userToken();
            String operation = userId != null ? "GetWorkloadAccessTokenForUserId"
                    : userToken != null ? "GetWorkloadAccessTokenForJWT" : "GetWorkloadAccessToken";
            System.out.println(client.call("POST", "/identities/" + operation,
                    fields("workloadName", name, "userId", userId, "userToken", userToken))
                    .path("workloadAccessToken").asText());
        }
    }

    @Command(name = "bind-login", description = "Set the OpenID Connect client with which Keygate's binding page "
            + "(return URL {public-url}/identities/oauth2/bind) signs users in to complete this workload's consent "
            + "sessions; prints the return URL and the redirect URI to register at the IdP.")
    static final class BindLogin extends ClientCommand {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--discovery-url", description = "OpenID discovery URL of the IdP that issues the users' JWTs.")
        String discoveryUrl;
        @Option(names = "--client-id", description = "The client registered at that IdP.")
        String clientId;
        @Option(names = "--client-secret-file", paramLabel = "FILE",
                description = "File holding the client's secret, or - for standard input (omit for a public client).")
        String clientSecretFile;
        @Option(names = "--scope", description = "Extra scope of the sign-in (repeatable; openid is always asked).")
        List<String> scopes;
        @Option(names = "--remove", description = "Remove the sign-in client instead.")
        boolean remove;

        @Override
        void run(ApiClient client) throws Exception {
            String path = "/keygate/v1/workload-identities/" + name + "/binding-login";
            if (remove) {
                print(client.call("DELETE", path, null));
                return;
            }
            if (discoveryUrl == null || clientId == null) {
                throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                        "--discovery-url and --client-id are required (or --remove)");
            }
            print(client.call("PUT", path, fields("discoveryUrl", discoveryUrl, "clientId", clientId, "clientSecret",
                    clientSecretFile == null ? null : SecretInput.read(clientSecretFile, "--client-secret-file"),
                    "scopes", scopes)));
        }
    }
}
