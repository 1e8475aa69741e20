package io.keygate.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keygate.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.Map;

/** {@code keygate providers list|show|delete}: OAuth2 and API-key credential providers. */
@Command(name = "providers", mixinStandardHelpOptions = true, description = "Inspect credential providers.",
        subcommands = {ProvidersCommand.ListProviders.class, ProvidersCommand.Show.class})
final class ProvidersCommand {

    @Command(name = "list", description = "List OAuth2 and API-key credential providers.")
    static final class ListProviders extends ClientCommand {
        @Override
        void run(ApiClient client) throws Exception {
            ObjectNode result = Json.MAPPER.createObjectNode();
            result.set("oauth2", client.call("POST", "/identities/ListOauth2CredentialProviders", Map.of()).path("credentialProviders"));
            result.set("apiKey", client.call("POST", "/identities/ListApiKeyCredentialProviders", Map.of()).path("credentialProviders"));
            print(result);
        }
    }

    @Command(name = "show", description = "Show one OAuth2 credential provider, with the callback URL to register at the IdP.")
    static final class Show extends ClientCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        void run(ApiClient client) throws Exception {
            print(client.call("POST", "/identities/GetOauth2CredentialProvider", Map.of("name", name)));
        }
    }
}
