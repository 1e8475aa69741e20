package io.keygate.demo;

import io.keygate.cli.ApiClient;
import io.keygate.demo.idp.DemoIdp;
import io.keygate.demo.mcp.FilesMcpServer;
import io.keygate.identity.principal.Hashes;
import io.keygate.json.Json;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockagentcorecontrol.BedrockAgentCoreControlClient;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.AuthorizerType;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.CredentialProviderVendorType;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.GatewayProtocolType;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sets Keygate up for the demo the way an administrator would, through its AWS-compatible API with the
 * AWS SDK for Java where its model reaches: the demo IdP as a CustomOauth2 credential provider (by discovery URL), a CUSTOM_JWT
 * gateway that trusts the IdP's tokens for the agent, an MCP server target that needs the user's own
 * token (authorization code grant), and a data-plane key for the application, scoped to the gateway's
 * workload.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_CreateGatewayTarget.html">CreateGatewayTarget</a>
 */
public final class KeygateSetup {
    /** The audience of the agent's tokens, which the gateway accepts. */
    public static final String GATEWAY_AUDIENCE = "keygate-demo-gateway";
    public static final String TARGET = "drive";
    static final String KEYGATE_CLIENT_ID = "keygate";

    /** What the application needs: the gateway's MCP URL and its own key. */
    public record Wiring(URI gatewayUrl, AwsCredentialsIdentity applicationKey) {
    }

    private KeygateSetup() {
    }

    public static Wiring run(URI keygateUrl, AwsCredentialsIdentity admin, DemoIdp idp, String agentClientId,
                             URI mcpEndpoint, URI returnUrl) throws Exception {
        try (BedrockAgentCoreControlClient control = BedrockAgentCoreControlClient.builder().endpointOverride(keygateUrl)
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(admin.accessKeyId(),
                        admin.secretAccessKey()))).build()) {
            String secret = Hashes.random(32);
            var provider = control.createOauth2CredentialProvider(request -> request.name("demo-drive")
                    .credentialProviderVendor(CredentialProviderVendorType.CUSTOM_OAUTH2)
                    .oauth2ProviderConfigInput(input -> input.customOauth2ProviderConfig(custom -> custom
                            .oauthDiscovery(discovery -> discovery.discoveryUrl(idp.discoveryUrl().toString()))
                            .clientId(KEYGATE_CLIENT_ID).clientSecret(secret))));
            idp.register(new DemoIdp.Client(KEYGATE_CLIENT_ID, secret, Set.of(URI.create(provider.callbackUrl())),
                    DemoIdp.GRAPH_AUDIENCE, false, "Keygate for the Demo agent"));
            var gateway = control.createGateway(request -> request.name("demo").protocolType(GatewayProtocolType.MCP)
                    .authorizerType(AuthorizerType.CUSTOM_JWT)
                    .authorizerConfiguration(authorizer -> authorizer.customJWTAuthorizer(jwt -> jwt
                            .discoveryUrl(idp.discoveryUrl().toString()).allowedAudience(GATEWAY_AUDIENCE)
                            .allowedClients(agentClientId))));
            ApiClient api = ApiClient.create(keygateUrl, admin, Region.US_EAST_1.id());
            createTarget(api, gateway.gatewayId(), provider.credentialProviderArn(), mcpEndpoint, returnUrl);
            String workload = gateway.workloadIdentityDetails().workloadIdentityArn()
                    .substring(gateway.workloadIdentityDetails().workloadIdentityArn().lastIndexOf('/') + 1);
            return new Wiring(URI.create(gateway.gatewayUrl()), applicationKey(api, workload));
        }
    }

    /**
     * CreateGatewayTarget, signed by hand: the target needs its tools inline (an AUTHORIZATION_CODE target's
     * tools cannot be listed without a user's token), and the AWS SDK for Java's model has no
     * {@code mcpToolSchema} yet. The body is the AgentCore API's own.
     */
    private static void createTarget(ApiClient api, String gatewayId, String providerArn, URI mcpEndpoint, URI returnUrl)
            throws Exception {
        Map<String, Object> oauth = Map.of("providerArn", providerArn, "scopes", List.of("openid", "profile",
                DemoIdp.FILES_SCOPE), "grantType", "AUTHORIZATION_CODE", "defaultReturnUrl", returnUrl.toString());
        api.call("POST", "/gateways/" + gatewayId + "/targets/", Map.of("name", TARGET,
                "targetConfiguration", Map.of("mcp", Map.of("mcpServer", Map.of("endpoint", mcpEndpoint.toString(),
                        "mcpToolSchema", Map.of("inlinePayload", Json.write(FilesMcpServer.toolSchema()))))),
                "credentialProviderConfigurations", List.of(Map.of("credentialProviderType", "OAUTH",
                        "credentialProvider", Map.of("oauthCredentialProvider", oauth)))));
    }

    private static AwsCredentialsIdentity applicationKey(ApiClient api, String workload) throws Exception {
        var issued = api.call("POST", "/keygate/v1/access-keys",
                Map.of("workloads", List.of(workload), "description", "demo agent application"));
        return AwsCredentialsIdentity.create(issued.path("accessKeyId").asText(), issued.path("secretAccessKey").asText());
    }
}
