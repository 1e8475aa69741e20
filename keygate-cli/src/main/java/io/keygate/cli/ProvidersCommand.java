package io.keygate.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keygate.identity.provider.Vendor;
import io.keygate.identity.provider.VendorCatalogue;
import io.keygate.json.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Map;

/**
 * {@code keygate providers list|show|create-oauth2|create-api-key}: OAuth2 and API-key credential
 * providers. Secrets are read from standard input or a file, never from a flag.
 */
@Command(name = "providers", mixinStandardHelpOptions = true, description = "Manage credential providers.",
        subcommands = {ProvidersCommand.ListProviders.class, ProvidersCommand.Show.class,
                ProvidersCommand.CreateOauth2.class, ProvidersCommand.CreateApiKey.class})
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

    @Command(name = "create-oauth2", description = "Create an OAuth2 credential provider (CreateOauth2CredentialProvider); "
            + "the client secret is read from standard input or --client-secret-file.")
    static final class CreateOauth2 extends ClientCommand {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--vendor", defaultValue = "CustomOauth2",
                description = "credentialProviderVendor, e.g. GithubOauth2, GoogleOauth2 (default ${DEFAULT-VALUE}).")
        String vendor;
        @Option(names = "--discovery-url", description = "The IdP's discovery URL (.well-known/openid-configuration).")
        String discoveryUrl;
        @Option(names = "--tenant-id", description = "Tenant (MicrosoftOauth2).")
        String tenantId;
        @Option(names = "--client-id", required = true, description = "Keygate's client id at the IdP.")
        String clientId;
        @Option(names = "--client-secret-file", defaultValue = "-",
                description = "File holding the client secret; - (default) reads standard input.")
        String clientSecretFile;

        @Override
        void run(ApiClient client) throws Exception {
            Map<String, Object> config = fields("oauthDiscovery", discoveryUrl == null ? null
                    : Map.of("discoveryUrl", discoveryUrl), "clientId", clientId,
                    "clientSecret", SecretInput.read(clientSecretFile, "--client-secret-file"), "tenantId", tenantId);
            // the union member the vendor is configured by; an unknown vendor is the server's to refuse
            String member = VendorCatalogue.builtIn().find(vendor).map(Vendor::configMember)
                    .orElse("customOauth2ProviderConfig");
            print(client.call("POST", "/identities/CreateOauth2CredentialProvider", fields("name", name,
                    "credentialProviderVendor", vendor, "oauth2ProviderConfigInput", Map.of(member, config))));
        }
    }

    @Command(name = "create-api-key", description = "Create an API-key credential provider (CreateApiKeyCredentialProvider); "
            + "the key is read from standard input or --api-key-file.")
    static final class CreateApiKey extends ClientCommand {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--api-key-file", defaultValue = "-",
                description = "File holding the API key; - (default) reads standard input.")
        String apiKeyFile;

        @Override
        void run(ApiClient client) throws Exception {
            print(client.call("POST", "/identities/CreateApiKeyCredentialProvider",
                    Map.of("name", name, "apiKey", SecretInput.read(apiKeyFile, "--api-key-file"))));
        }
    }
}
