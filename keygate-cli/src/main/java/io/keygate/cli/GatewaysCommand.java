package io.keygate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code keygate gateways create|add-target|limits}: an MCP gateway and its targets (CreateGateway,
 * CreateGatewayTarget) with the outbound credential each target uses, and Keygate's own limits per target.
 */
@Command(name = "gateways", mixinStandardHelpOptions = true, description = "Create MCP gateways and their targets; set their limits.",
        subcommands = {GatewaysCommand.Create.class, GatewaysCommand.AddTarget.class, GatewaysCommand.Limits.class})
final class GatewaysCommand {

    @Command(name = "create", description = "Create a gateway (CreateGateway). CUSTOM_JWT: callers present a JWT of the "
            + "issuer behind --discovery-url; NONE: anyone may call.")
    static final class Create extends ClientCommand {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--authorizer-type", required = true, description = "CUSTOM_JWT or NONE.")
        String authorizerType;
        @Option(names = "--discovery-url", description = "CUSTOM_JWT: the issuer's .well-known/openid-configuration URL.")
        String discoveryUrl;
        @Option(names = "--allowed-audience", description = "CUSTOM_JWT: accepted aud (repeatable).")
        List<String> audiences;
        @Option(names = "--allowed-client", description = "CUSTOM_JWT: accepted client_id (repeatable).")
        List<String> clients;

        @Override
        void run(ApiClient client) throws Exception {
            Object authorizer = discoveryUrl == null && audiences == null && clients == null ? null
                    : Map.of("customJWTAuthorizer", fields("discoveryUrl", discoveryUrl, "allowedAudience", audiences,
                    "allowedClients", clients));
            print(client.call("POST", "/gateways/", fields("name", name, "protocolType", "MCP",
                    "authorizerType", authorizerType, "authorizerConfiguration", authorizer)));
        }
    }

    @Command(name = "add-target", description = "Add a target (CreateGatewayTarget): an MCP server or an OpenAPI "
            + "document, with an OAuth, API-key or no outbound credential.")
    static final class AddTarget extends ClientCommand {
        @Parameters(index = "0", paramLabel = "GATEWAY", description = "Gateway id or ARN.")
        String gateway;
        @Parameters(index = "1", paramLabel = "NAME", description = "Target name; its tools are NAME___tool.")
        String name;
        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;
        @Option(names = "--tool-schema-file", description = "With --mcp-endpoint: the tools as JSON {\"tools\": [...]} "
                + "(mcpToolSchema); without it an AUTHORIZATION_CODE target waits for an administrator's consent "
                + "(CREATE_PENDING_AUTH).")
        Path toolSchemaFile;
        @ArgGroup(exclusive = true)
        Credential credential;

        static final class Source {
            @Option(names = "--mcp-endpoint", description = "The MCP server's URL.")
            String mcpEndpoint;
            @Option(names = "--openapi-file", description = "An OpenAPI 3 document (JSON or YAML).")
            Path openApiFile;
        }

        static final class Credential {
            @ArgGroup(exclusive = false)
            OAuth oauth;
            @ArgGroup(exclusive = false)
            ApiKey apiKey;
        }

        static final class OAuth {
            @Option(names = "--oauth-provider", required = true, description = "OAuth2 credential provider ARN or name.")
            String provider;
            @Option(names = "--grant-type", required = true, description = "CLIENT_CREDENTIALS or AUTHORIZATION_CODE.")
            String grantType;
            @Option(names = "--scope", description = "Scope (repeatable).")
            List<String> scopes;
            @Option(names = "--default-return-url", description = "AUTHORIZATION_CODE: your application's return URL.")
            String defaultReturnUrl;
        }

        static final class ApiKey {
            @Option(names = "--api-key-provider", required = true, description = "API-key credential provider ARN or name.")
            String provider;
            @Option(names = "--credential-location", description = "HEADER (default) or QUERY_PARAMETER.")
            String location;
            @Option(names = "--credential-parameter-name", description = "Header or query parameter (default Authorization).")
            String parameterName;
            @Option(names = "--credential-prefix", description = "Put before the key, e.g. Bearer.")
            String prefix;
        }

        @Override
        void run(ApiClient client) throws Exception {
            if (toolSchemaFile != null && source.mcpEndpoint == null) {
                throw new IllegalArgumentException("--tool-schema-file lists an MCP server's tools; give it with --mcp-endpoint");
            }
            Map<String, Object> target = source.mcpEndpoint != null
                    ? Map.of("mcpServer", fields("endpoint", source.mcpEndpoint, "mcpToolSchema", toolSchemaFile == null
                    ? null : Map.of("inlinePayload", Files.readString(toolSchemaFile))))
                    : Map.of("openApiSchema", Map.of("inlinePayload", Files.readString(source.openApiFile)));
            print(client.call("POST", "/gateways/" + URLEncoder.encode(gateway, StandardCharsets.UTF_8) + "/targets/",
                    fields("name", name, "targetConfiguration", Map.of("mcp", target),
                            "credentialProviderConfigurations", credential == null ? null : List.of(credential()))));
        }

        private Map<String, Object> credential() {
            if (credential.oauth != null) {
                OAuth oauth = credential.oauth;
                return Map.of("credentialProviderType", "OAUTH", "credentialProvider", Map.of("oauthCredentialProvider",
                        fields("providerArn", oauth.provider, "scopes", oauth.scopes == null ? List.of() : oauth.scopes,
                                "grantType", oauth.grantType, "defaultReturnUrl", oauth.defaultReturnUrl)));
            }
            ApiKey key = credential.apiKey;
            return Map.of("credentialProviderType", "API_KEY", "credentialProvider", Map.of("apiKeyCredentialProvider",
                    fields("providerArn", key.provider, "credentialLocation", key.location,
                            "credentialParameterName", key.parameterName, "credentialPrefix", key.prefix)));
        }
    }

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
