package io.keygate.server.gateway;

import io.keygate.gateway.GatewayTarget;
import io.keygate.gateway.mcp.ToolDefinition;
import io.keygate.server.TestKeygate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.bedrockagentcorecontrol.BedrockAgentCoreControlClient;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.*;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Gateway targets driven by the AWS SDK against a real Keygate node: tools listed from a real MCP
 * server (official MCP Java SDK, Streamable HTTP) at create and on SynchronizeGatewayTargets, inline
 * tool schemas, OpenAPI documents (JSON and YAML), unreachable endpoints, and the credential rules.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayTargetsIntegrationTests {
    private TestKeygate keygate;
    private BedrockAgentCoreControlClient control;
    private TestMcpServer mcpServer;
    private String gatewayId;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        keygate = TestKeygate.start(dataDir);
        control = keygate.controlClient();
        mcpServer = TestMcpServer.start("get_weather", "get_forecast");
        gatewayId = control.createGateway(r -> r.name("tools").authorizerType(AuthorizerType.NONE)).gatewayId();
    }

    @AfterAll
    void stop() throws Exception {
        control.close();
        keygate.close();
        mcpServer.close();
    }

    private List<String> toolNames(String targetId) {
        GatewayTarget target = keygate.server().services().gatewayTargets().get(gatewayId, targetId);
        return target.tools().stream().map(ToolDefinition::name).toList();
    }

    private CreateGatewayTargetResponse createTarget(String name, Consumer<McpTargetConfiguration.Builder> mcp) {
        return control.createGatewayTarget(r -> r.gatewayIdentifier(gatewayId).name(name)
                .targetConfiguration(t -> t.mcp(mcp)));
    }

    @Test
    void createTargetWhenMcpServerReachableThenReadyWithItsToolsAndSynchronizeFindsAddedTool() throws Exception {
        try (TestMcpServer server = TestMcpServer.start("get_weather", "get_forecast")) {
            var created = createTarget("weather", m -> m.mcpServer(s -> s.endpoint(server.endpoint().toString())));

            assertThat(created.sdkHttpResponse().statusCode()).isEqualTo(202);
            assertThat(created.targetId()).matches("[0-9A-Z]{10}");
            assertThat(created.gatewayArn()).endsWith(":gateway/" + gatewayId);
            assertThat(created.status()).isEqualTo(TargetStatus.READY);
            assertThat(created.lastSynchronizedAt()).isNotNull();
            assertThat(created.targetConfiguration().mcp().mcpServer().endpoint()).isEqualTo(server.endpoint().toString());
            assertThat(toolNames(created.targetId())).containsExactlyInAnyOrder("get_weather", "get_forecast");
            assertThat(keygate.server().services().gatewayTargets().get(gatewayId, created.targetId()).tools().get(0)
                    .inputSchema().path("properties").has("city")).isTrue();

            server.addTool("get_alerts");
            var synced = control.synchronizeGatewayTargets(r -> r.gatewayIdentifier(gatewayId).targetIdList(created.targetId()));

            assertThat(synced.sdkHttpResponse().statusCode()).isEqualTo(202);
            assertThat(synced.targets()).singleElement().satisfies(target -> {
                assertThat(target.targetId()).isEqualTo(created.targetId());
                assertThat(target.status()).isEqualTo(TargetStatus.READY);
                assertThat(target.lastSynchronizedAt()).isAfterOrEqualTo(created.lastSynchronizedAt());
            });
            assertThat(toolNames(created.targetId())).containsExactlyInAnyOrder("get_weather", "get_forecast", "get_alerts");
        }
    }

    @Test
    void createTargetWhenInlineMcpToolSchemaThenReadyWithoutContactAndSynchronizeRefused() throws Exception {
        // SDK 2.40.3 has no mcpToolSchema member yet; newer SDKs send exactly this body
        String body = "{\"name\":\"static\",\"targetConfiguration\":{\"mcp\":{\"mcpServer\":{"
                + "\"endpoint\":\"http://127.0.0.1:1/mcp\",\"mcpToolSchema\":{\"inlinePayload\":"
                + "\"{\\\"tools\\\":[{\\\"name\\\":\\\"lookup\\\",\\\"description\\\":\\\"Look up\\\","
                + "\\\"inputSchema\\\":{\\\"type\\\":\\\"object\\\"}}]}\"}}}}}";
        var answer = new SignedJson(keygate).send("POST", "/gateways/" + gatewayId + "/targets/", body);

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.body()).contains("\"status\":\"READY\"").contains("mcpToolSchema");
        String targetId = answer.body().replaceAll(".*\"targetId\":\"([0-9A-Z]{10})\".*", "$1");
        assertThat(toolNames(targetId)).containsExactly("lookup");
        assertThatThrownBy(() -> control.synchronizeGatewayTargets(r -> r.gatewayIdentifier(gatewayId).targetIdList(targetId)))
                .isInstanceOfSatisfying(ValidationException.class, error -> {
                    assertThat(error.fieldList()).extracting(ValidationExceptionField::name).containsExactly("targetIdList[0]");
                    assertThat(error.getMessage()).contains("nothing to synchronize");
                });
    }

    @Test
    void createTargetWhenOpenApiJsonOrYamlThenOneToolPerOperationWithParametersAndBody() {
        String json = """
                {"openapi":"3.0.3","info":{"title":"Pets","version":"1"},"servers":[{"url":"https://pets.example/v1"}],
                 "paths":{"/pets":{"get":{"operationId":"listPets","summary":"List pets",
                   "parameters":[{"name":"limit","in":"query","schema":{"type":"integer"}}]},
                   "post":{"summary":"Add a pet","requestBody":{"required":true,"content":{"application/json":
                   {"schema":{"$ref":"#/components/schemas/Pet"}}}}}},
                  "/pets/{petId}":{"parameters":[{"name":"petId","in":"path","required":true,"schema":{"type":"string"}}],
                   "get":{"operationId":"showPetById","description":"Info for a pet",
                   "parameters":[{"name":"X-Trace","in":"header","schema":{"type":"string"}}]}}},
                 "components":{"schemas":{"Pet":{"type":"object","required":["name"],"properties":{"name":{"type":"string"}}}}}}
                """;
        String yaml = """
                openapi: 3.1.0
                info: {title: Pets, version: "1"}
                servers: [{url: "https://pets.example/v1"}]
                paths:
                  /pets:
                    get:
                      operationId: listPets
                      summary: List pets
                      parameters: [{name: limit, in: query, schema: {type: integer}}]
                """;
        var fromJson = createTarget("pets", m -> m.openApiSchema(s -> s.inlinePayload(json)));
        var fromYaml = createTarget("pets-yaml", m -> m.openApiSchema(s -> s.inlinePayload(yaml)));

        assertThat(fromJson.status()).isEqualTo(TargetStatus.READY);
        assertThat(fromJson.targetConfiguration().mcp().openApiSchema().inlinePayload()).isEqualTo(json);
        var tools = keygate.server().services().gatewayTargets().get(gatewayId, fromJson.targetId()).tools();
        assertThat(tools).extracting(ToolDefinition::name).containsExactlyInAnyOrder("listPets", "post_pets", "showPetById");
        ToolDefinition show = tools.stream().filter(tool -> tool.name().equals("showPetById")).findFirst().orElseThrow();
        assertThat(show.description()).isEqualTo("Info for a pet");
        assertThat(show.inputSchema().path("properties").has("petId")).isTrue();
        assertThat(show.inputSchema().path("properties").has("X-Trace")).isTrue();
        assertThat(show.inputSchema().path("required").toString()).isEqualTo("[\"petId\"]");
        ToolDefinition post = tools.stream().filter(tool -> tool.name().equals("post_pets")).findFirst().orElseThrow();
        assertThat(post.inputSchema().at("/properties/body/properties/name/type").asText()).isEqualTo("string");
        assertThat(post.inputSchema().path("required").toString()).isEqualTo("[\"body\"]");
        assertThat(toolNames(fromYaml.targetId())).containsExactly("listPets");
    }

    @Test
    void createTargetWhenOpenApiInvalidOrInS3ThenValidationExceptionSayingWhatToFix() {
        assertThatThrownBy(() -> createTarget("swagger", m -> m.openApiSchema(s -> s.inlinePayload("{\"swagger\":\"2.0\"}"))))
                .isInstanceOfSatisfying(ValidationException.class, error -> {
                    assertThat(error.fieldList()).extracting(ValidationExceptionField::name)
                            .containsExactly("targetConfiguration.mcp.openApiSchema.inlinePayload");
                    assertThat(error.getMessage()).contains("OpenAPI 3");
                });
        assertThatThrownBy(() -> createTarget("in-s3", m -> m.openApiSchema(s -> s.s3(s3 -> s3.uri("s3://bucket/api.json")))))
                .isInstanceOfSatisfying(ValidationException.class, error -> {
                    assertThat(error.fieldList()).extracting(ValidationExceptionField::name)
                            .containsExactly("targetConfiguration.mcp.openApiSchema.s3");
                    assertThat(error.getMessage()).contains("put the schema in inlinePayload");
                });
    }

    @Test
    void createTargetWhenEndpointUnreachableThenStoredFailedWithReasonNamingEndpoint() {
        var created = createTarget("down", m -> m.mcpServer(s -> s.endpoint("http://127.0.0.1:1/mcp")));

        assertThat(created.sdkHttpResponse().statusCode()).isEqualTo(202);
        assertThat(created.status()).isEqualTo(TargetStatus.FAILED);
        assertThat(created.statusReasons()).singleElement().asString().contains("http://127.0.0.1:1/mcp");
        var fetched = control.getGatewayTarget(r -> r.gatewayIdentifier(gatewayId).targetId(created.targetId()));
        assertThat(fetched.status()).isEqualTo(TargetStatus.FAILED);
        assertThat(toolNames(created.targetId())).isEmpty();
    }

    @Test
    void createTargetWhenMcpEndpointInvalidThenValidationExceptionNamingEndpointField() {
        assertThatThrownBy(() -> createTarget("metadata", m -> m.mcpServer(s -> s.endpoint("http://169.254.169.254/mcp"))))
                .isInstanceOfSatisfying(ValidationException.class, error -> assertThat(error.fieldList())
                        .extracting(ValidationExceptionField::name).containsExactly("targetConfiguration.mcp.mcpServer.endpoint"));
    }

    @Test
    void createTargetWhenAuthorizationCodeThenReturnUrlRequiredAndAddedToWorkloadIdentity() {
        String providerArn = control.createOauth2CredentialProvider(r -> r.name("github-3lo")
                .credentialProviderVendor(CredentialProviderVendorType.CUSTOM_OAUTH2)
                .oauth2ProviderConfigInput(c -> c.customOauth2ProviderConfig(custom -> custom
                        .oauthDiscovery(d -> d.authorizationServerMetadata(md -> md.issuer("https://idp.example")
                                .authorizationEndpoint("https://idp.example/authorize")
                                .tokenEndpoint("https://idp.example/token")))
                        .clientId("c").clientSecret("s")))).credentialProviderArn();
        Consumer<OAuthCredentialProvider.Builder> oauth = o -> o.providerArn(providerArn).scopes("repo")
                .grantType(OAuthGrantType.AUTHORIZATION_CODE);

        assertThatThrownBy(() -> control.createGatewayTarget(r -> r.gatewayIdentifier(gatewayId).name("github")
                .targetConfiguration(t -> t.mcp(m -> m.mcpServer(s -> s.endpoint(mcpServer.endpoint().toString()))))
                .credentialProviderConfigurations(c -> c.credentialProviderType(CredentialProviderType.OAUTH)
                        .credentialProvider(p -> p.oauthCredentialProvider(oauth)))))
                .isInstanceOfSatisfying(ValidationException.class, error -> assertThat(error.fieldList())
                        .extracting(ValidationExceptionField::name).containsExactly(
                                "credentialProviderConfigurations[0].credentialProvider.oauthCredentialProvider.defaultReturnUrl"));

        var created = control.createGatewayTarget(r -> r.gatewayIdentifier(gatewayId).name("github")
                .targetConfiguration(t -> t.mcp(m -> m.mcpServer(s -> s.endpoint(mcpServer.endpoint().toString()))))
                .credentialProviderConfigurations(c -> c.credentialProviderType(CredentialProviderType.OAUTH)
                        .credentialProvider(p -> p.oauthCredentialProvider(oauth.andThen(
                                o -> o.defaultReturnUrl("https://app.example/oauth/return"))))));

        assertThat(created.statusAsString()).isEqualTo("CREATE_PENDING_AUTH");
        assertThat(created.statusReasons()).singleElement().asString().contains("mcpToolSchema");
        assertThat(control.getWorkloadIdentity(r -> r.name(gatewayId)).allowedResourceOauth2ReturnUrls())
                .containsExactly("https://app.example/oauth/return");
    }

    @Test
    void createTargetWhenCredentialProviderUnknownOrIamThenValidationExceptionNamingTheField() {
        assertThatThrownBy(() -> control.createGatewayTarget(r -> r.gatewayIdentifier(gatewayId).name("keyed")
                .targetConfiguration(t -> t.mcp(m -> m.mcpServer(s -> s.endpoint(mcpServer.endpoint().toString()))))
                .credentialProviderConfigurations(c -> c.credentialProviderType(CredentialProviderType.API_KEY)
                        .credentialProvider(p -> p.apiKeyCredentialProvider(k -> k.providerArn(
                                "arn:aws:bedrock-agentcore:us-east-1:000000000000:token-vault/default/apikeycredentialprovider/nope")
                                .credentialLocation(ApiKeyCredentialLocation.HEADER))))))
                .isInstanceOfSatisfying(ValidationException.class, error -> {
                    assertThat(error.fieldList()).extracting(ValidationExceptionField::name).containsExactly(
                            "credentialProviderConfigurations[0].credentialProvider.apiKeyCredentialProvider.providerArn");
                    assertThat(error.getMessage()).contains("CreateApiKeyCredentialProvider");
                });
        assertThatThrownBy(() -> control.createGatewayTarget(r -> r.gatewayIdentifier(gatewayId).name("iam")
                .targetConfiguration(t -> t.mcp(m -> m.mcpServer(s -> s.endpoint(mcpServer.endpoint().toString()))))
                .credentialProviderConfigurations(c -> c.credentialProviderType(CredentialProviderType.GATEWAY_IAM_ROLE))))
                .isInstanceOfSatisfying(ValidationException.class, error -> assertThat(error.getMessage()).contains("no IAM"));
    }

    @Test
    void listTargetsWhenTwoGatewaysThenEachListsOnlyItsOwnTargetsAndDeletedOnesVanish() {
        String other = control.createGateway(r -> r.name("other").authorizerType(AuthorizerType.NONE)).gatewayId();
        var mine = createTarget("listed", m -> m.mcpServer(s -> s.endpoint(mcpServer.endpoint().toString())));
        var theirs = control.createGatewayTarget(r -> r.gatewayIdentifier(other).name("listed")
                .targetConfiguration(t -> t.mcp(m -> m.mcpServer(s -> s.endpoint(mcpServer.endpoint().toString())))));

        var otherList = control.listGatewayTargets(r -> r.gatewayIdentifier(other).maxResults(1000));
        assertThat(otherList.items()).extracting(TargetSummary::targetId).containsExactly(theirs.targetId());
        assertThat(control.listGatewayTargets(r -> r.gatewayIdentifier(gatewayId).maxResults(1000)).items())
                .extracting(TargetSummary::targetId).contains(mine.targetId()).doesNotContain(theirs.targetId());

        var deleted = control.deleteGatewayTarget(r -> r.gatewayIdentifier(other).targetId(theirs.targetId()));
        assertThat(deleted.status()).isEqualTo(TargetStatus.DELETING);
        assertThat(deleted.gatewayArn()).endsWith(":gateway/" + other);
        assertThat(control.listGatewayTargets(r -> r.gatewayIdentifier(other)).items()).isEmpty();
        assertThatThrownBy(() -> control.getGatewayTarget(r -> r.gatewayIdentifier(other).targetId(theirs.targetId())))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining(theirs.targetId());
    }
}
