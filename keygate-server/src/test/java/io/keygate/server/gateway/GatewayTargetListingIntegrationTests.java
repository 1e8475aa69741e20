package io.keygate.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.json.Json;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.bedrockagentcorecontrol.BedrockAgentCoreControlClient;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.ApiKeyCredentialLocation;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.ConflictException;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.CreateGatewayTargetResponse;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.CredentialProviderConfiguration;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.CredentialProviderType;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.OAuthGrantType;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.TargetStatus;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tool listing of MCP server targets with their outbound credential, driven by the AWS SDK and the MCP
 * Java SDK against real MCP servers that demand a credential: API keys (header and query), OAuth client
 * credentials, the administrator-consent round trip of AUTHORIZATION_CODE targets (*_PENDING_AUTH,
 * authorizationData, CompleteResourceTokenAuth with the synthetic user id), and listingMode DYNAMIC
 * with the caller's own credential, where a hanging target is left out (security.md GW-2, GW-3, GW-7, F14).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayTargetListingIntegrationTests {
    private GatewayFixture fixture;
    private BedrockAgentCoreControlClient control;
    private SignedJson signed;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        fixture = new GatewayFixture(dataDir);
        control = fixture.keygate.controlClient();
        signed = new SignedJson(fixture.keygate);
        control.createApiKeyCredentialProvider(r -> r.name("wrong-key").apiKey("not-the-key-987"));
    }

    @AfterAll
    void stop() throws Exception {
        control.close();
        fixture.close();
    }


    private CreateGatewayTargetResponse create(String name, TestMcpServer server,
                                               Consumer<CredentialProviderConfiguration.Builder> credential) {
        return control.createGatewayTarget(r -> r.gatewayIdentifier(fixture.gatewayId).name(name)
                .targetConfiguration(t -> t.mcp(m -> m.mcpServer(s -> s.endpoint(server.endpoint().toString()))))
                .credentialProviderConfigurations(credential));
    }

    private static Consumer<CredentialProviderConfiguration.Builder> apiKey(String provider, String parameter,
                                                                            String prefix, ApiKeyCredentialLocation location) {
        return c -> c.credentialProviderType(CredentialProviderType.API_KEY).credentialProvider(p -> p
                .apiKeyCredentialProvider(k -> k.providerArn(provider).credentialParameterName(parameter)
                        .credentialPrefix(prefix).credentialLocation(location)));
    }

    private static Consumer<CredentialProviderConfiguration.Builder> oauth(OAuthGrantType grant) {
        return c -> c.credentialProviderType(CredentialProviderType.OAUTH).credentialProvider(p -> p
                .oauthCredentialProvider(o -> o.providerArn("graph").scopes("openid").grantType(grant)
                        .defaultReturnUrl(grant == OAuthGrantType.AUTHORIZATION_CODE ? GatewayFixture.RETURN_URL : null)));
    }

    private List<String> listedNames(String bearer) {
        try (McpSyncClient client = fixture.client(bearer)) {
            return client.listTools().tools().stream().map(McpSchema.Tool::name).toList();
        }
    }

    @Test
    void createTargetWhenServerWantsApiKeyThenListedWithKeyReadyAndWrongKeyFailedNamingTargetAnd401() throws Exception {
        try (TestMcpServer header = TestMcpServer.start("lookup").admitOnly(request ->
                "Key api-key-123".equals(request.getHeader("X-Api-Key")));
             TestMcpServer query = TestMcpServer.start("search").admitOnly(request ->
                     "api-key-123".equals(request.getParameter("api_key")))) {
            var keyed = create("keyed", header, apiKey("weather-key", "X-Api-Key", "Key", ApiKeyCredentialLocation.HEADER));
            var queried = create("queried", query, apiKey("weather-key", "api_key", null,
                    ApiKeyCredentialLocation.QUERY_PARAMETER));
            var wrong = create("wrong-keyed", header, apiKey("wrong-key", "X-Api-Key", "Key",
                    ApiKeyCredentialLocation.HEADER));
            var wrongQuery = create("wrong-queried", query, apiKey("wrong-key", "api_key", null,
                    ApiKeyCredentialLocation.QUERY_PARAMETER));

            assertThat(keyed.status()).isEqualTo(TargetStatus.READY);
            assertThat(queried.status()).isEqualTo(TargetStatus.READY);
            assertThat(wrong.status()).isEqualTo(TargetStatus.FAILED);
            assertThat(wrong.statusReasons()).singleElement().asString().contains("wrong-keyed").contains("401")
                    .contains("credential provider").doesNotContain("not-the-key-987");
            assertThat(wrongQuery.status()).isEqualTo(TargetStatus.FAILED);
            assertThat(wrongQuery.statusReasons()).singleElement().asString().contains("wrong-queried").contains("401")
                    .contains(query.endpoint().toString()).doesNotContain("not-the-key-987").doesNotContain("api_key=");
            assertThat(listedNames(fixture.userJwt("alice"))).contains("keyed___lookup", "queried___search")
                    .noneMatch(name -> name.startsWith("wrong-keyed___"));
            control.deleteGatewayTarget(r -> r.gatewayIdentifier(fixture.gatewayId).targetId(wrong.targetId()));
            control.deleteGatewayTarget(r -> r.gatewayIdentifier(fixture.gatewayId).targetId(wrongQuery.targetId()));
        }
    }

    @Test
    void createTargetWhenServerWantsClientCredentialsTokenThenListedWithItAndReady() throws Exception {
        try (TestMcpServer server = TestMcpServer.start("report").admitOnly(request ->
                String.valueOf(request.getHeader("Authorization")).startsWith("Bearer ey"))) {
            var created = create("machine", server, oauth(OAuthGrantType.CLIENT_CREDENTIALS));

            assertThat(created.status()).isEqualTo(TargetStatus.READY);
            assertThat(created.statusReasons()).isEmpty();
            assertThat(fixture.keygate.server().services().gatewayTargets().get(fixture.gatewayId, created.targetId())
                    .tools()).extracting(tool -> tool.name()).containsExactly("report");
            assertThat(server.authorizations()).isNotEmpty().allMatch(seen -> seen.startsWith("Bearer ey"));
        }
    }

    @Test
    void createTargetWhenJwtPassthroughWithoutSchemaThenFailedSayingGiveSchemaOrUseDynamic() throws Exception {
        try (TestMcpServer server = TestMcpServer.start("mine")) {
            var created = create("passthrough", server, c -> c.credentialProviderType("JWT_PASSTHROUGH"));

            assertThat(created.status()).isEqualTo(TargetStatus.FAILED);
            assertThat(created.statusReasons()).singleElement().asString().contains("passthrough")
                    .contains("mcpToolSchema").contains("listingMode DYNAMIC");
            assertThat(server.authorizations()).as("nothing was sent without a caller").isEmpty();
            control.deleteGatewayTarget(r -> r.gatewayIdentifier(fixture.gatewayId).targetId(created.targetId()));
        }
    }

    @Test
    void createTargetWhenAuthorizationCodeThenPendingAuthUntilAdministratorConsentsThenReadyWithItsTools()
            throws Exception {
        try (TestMcpServer server = TestMcpServer.start("repos").admitOnly(request ->
                String.valueOf(request.getHeader("Authorization")).startsWith("Bearer ey"))) {
            var created = create("github", server, oauth(OAuthGrantType.AUTHORIZATION_CODE));
            assertThat(created.statusAsString()).isEqualTo("CREATE_PENDING_AUTH");
            assertThat(server.authorizations()).as("no listing before consent").isEmpty();
            // SDK 2.40.3 has no authorizationData member yet; newer SDKs read exactly this
            JsonNode pending = Json.MAPPER.readTree(signed.send("GET", "/gateways/" + fixture.gatewayId + "/targets/"
                    + created.targetId() + "/", "").body());
            String url = pending.at("/authorizationData/oauth2/authorizationUrl").asText();
            String userId = pending.at("/authorizationData/oauth2/userId").asText();
            assertThat(userId).matches(fixture.gatewayId + "_" + created.targetId() + "_[0-9a-z]{10}");
            assertThat(pending.path("statusReasons").get(0).asText()).contains(userId).contains("CompleteResourceTokenAuth");
            assertThatThrownBy(() -> control.deleteGatewayTarget(r -> r.gatewayIdentifier(fixture.gatewayId)
                    .targetId(created.targetId()))).isInstanceOf(ConflictException.class)
                    .hasMessageContaining("CREATE_PENDING_AUTH");

            String sessionUri = fixture.consent(url);
            var data = fixture.keygate.dataClient(fixture.keygate.adminCredentials());
            data.completeResourceTokenAuth(r -> r.sessionUri(sessionUri).userIdentifier(u -> u.userId(userId)));

            var ready = control.getGatewayTarget(r -> r.gatewayIdentifier(fixture.gatewayId).targetId(created.targetId()));
            assertThat(ready.status()).isEqualTo(TargetStatus.READY);
            assertThat(ready.statusReasons()).singleElement().asString().contains(userId);
            assertThat(Json.MAPPER.readTree(signed.send("GET", "/gateways/" + fixture.gatewayId + "/targets/"
                    + created.targetId() + "/", "").body()).has("authorizationData")).isFalse();
            assertThat(server.authorizations()).isNotEmpty().allMatch(seen -> seen.startsWith("Bearer ey"));
            assertThat(listedNames(fixture.userJwt("alice"))).contains("github___repos");
            control.deleteGatewayTarget(r -> r.gatewayIdentifier(fixture.gatewayId).targetId(created.targetId()));
        }
    }

    private String createDynamic(String name, String endpoint, String credential) throws Exception {
        var answer = signed.send("POST", "/gateways/" + fixture.gatewayId + "/targets/", "{\"name\":\"" + name + "\","
                + "\"targetConfiguration\":{\"mcp\":{\"mcpServer\":{\"endpoint\":\"" + endpoint + "\","
                + "\"listingMode\":\"DYNAMIC\"}}}" + (credential == null ? "" : ",\"credentialProviderConfigurations\":["
                + credential + "]") + "}");
        assertThat(answer.status()).isEqualTo(202);
        JsonNode created = Json.MAPPER.readTree(answer.body());
        assertThat(created.path("status").asText()).isEqualTo("READY");
        return created.path("targetId").asText();
    }

    @Test
    void toolsListWhenDynamicTargetThenLiveToolsEachTimeAndHangingTargetLeftOutWithoutBlockingOthers()
            throws Exception {
        try (TestMcpServer server = TestMcpServer.start("first").admitOnly(request ->
                "Bearer api-key-123".equals(request.getHeader("Authorization")));
             HangingEndpoint hanging = new HangingEndpoint()) {
            String live = createDynamic("live", server.endpoint().toString(), "{\"credentialProviderType\":\"API_KEY\","
                    + "\"credentialProvider\":{\"apiKeyCredentialProvider\":{\"providerArn\":\"weather-key\"}}}");
            String stuck = createDynamic("stuck", hanging.endpoint().toString(), null);
            String jwt = fixture.userJwt("dora");
            try (McpSyncClient client = fixture.client(jwt)) {
                assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                        .contains("weather___echo", "live___first").noneMatch(name -> name.startsWith("stuck___"));
                control.deleteGatewayTarget(r -> r.gatewayIdentifier(fixture.gatewayId).targetId(stuck));
                server.addTool("second");
                assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                        .contains("weather___echo", "live___first", "live___second");
                var result = client.callTool(new McpSchema.CallToolRequest("live___second", Map.of("city", "Oslo")));
                assertThat(result.isError()).isNotEqualTo(Boolean.TRUE);
                assertThat(result.content().toString()).contains("second called");
            }
            assertThat(server.authorizations()).contains("Bearer api-key-123").noneMatch(seen -> seen.contains(jwt));
            assertThat(fixture.keygate.server().services().audit().list(null, 1000).items()).anyMatch(event ->
                    event.event().equals("tools-list-target-omitted") && "stuck".equals(event.provider())
                            && "TIMEOUT".equals(event.outcome()));
            control.deleteGatewayTarget(r -> r.gatewayIdentifier(fixture.gatewayId).targetId(live));
        }
    }

    @Test
    void toolsListWhenDynamicThreeLeggedTargetThenOmittedUntilUserConsentsThenListedWithUsersOwnToken()
            throws Exception {
        try (TestMcpServer server = TestMcpServer.start("inbox").admitOnly(request ->
                String.valueOf(request.getHeader("Authorization")).startsWith("Bearer ey"))) {
            String mail = createDynamic("mail", server.endpoint().toString(), "{\"credentialProviderType\":\"OAUTH\","
                    + "\"credentialProvider\":{\"oauthCredentialProvider\":{\"providerArn\":\"graph\",\"scopes\":[\"openid\"],"
                    + "\"grantType\":\"AUTHORIZATION_CODE\",\"defaultReturnUrl\":\"" + GatewayFixture.RETURN_URL + "\"}}}");
            String jwt = fixture.userJwt("erin");
            try (McpSyncClient client = fixture.client(jwt)) {
                assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("weather___echo")
                        .noneMatch(name -> name.startsWith("mail___"));
                assertThat(fixture.keygate.server().services().audit().list(null, 1000).items()).anyMatch(event ->
                        event.event().equals("tools-list-target-omitted") && "mail".equals(event.provider())
                                && "NO_CREDENTIAL".equals(event.outcome()));

                McpError error = (McpError) catchThrowable(() ->
                        client.callTool(new McpSchema.CallToolRequest("mail___inbox", Map.of("city", "Bergen"))));
                assertThat(error.getJsonRpcError().code()).isEqualTo(-32042);
                String url = Json.MAPPER.valueToTree(error.getJsonRpcError().data()).path("elicitations").get(0)
                        .path("url").asText();
                String sessionUri = fixture.consent(url);
                fixture.keygate.dataClient(fixture.keygate.adminCredentials()).completeResourceTokenAuth(r -> r
                        .sessionUri(sessionUri).userIdentifier(u -> u.userToken(jwt)));
                server.clearAuthorizations();

                assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name).contains("mail___inbox");
                assertThat(server.authorizations()).isNotEmpty().allMatch(seen -> seen.startsWith("Bearer ey"))
                        .noneMatch(seen -> seen.contains(jwt));
            }
            assertThat(listedNames(fixture.userJwt("frank"))).as("another user never lists with erin's grant")
                    .noneMatch(name -> name.startsWith("mail___"));
            control.deleteGatewayTarget(r -> r.gatewayIdentifier(fixture.gatewayId).targetId(mail));
        }
    }
}
