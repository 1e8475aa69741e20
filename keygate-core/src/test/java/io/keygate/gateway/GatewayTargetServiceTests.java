package io.keygate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.config.KeygateConfig;
import io.keygate.crypto.KeyringService;
import io.keygate.crypto.MasterKey;
import io.keygate.error.ErrorCode;
import io.keygate.error.ServiceException;
import io.keygate.gateway.mcp.ToolDefinition;
import io.keygate.identity.provider.ApiKeyCredentialProvider;
import io.keygate.identity.provider.ApiKeyCredentialProviderService;
import io.keygate.identity.provider.AuthorizationServerMetadata;
import io.keygate.identity.provider.Oauth2ProviderInput;
import io.keygate.identity.provider.MetadataResolver;
import io.keygate.identity.provider.Oauth2CredentialProvider;
import io.keygate.identity.provider.Oauth2CredentialProviderService;
import io.keygate.identity.provider.VendorCatalogue;
import io.keygate.identity.workload.WorkloadIdentity;
import io.keygate.identity.workload.WorkloadIdentityService;
import io.keygate.json.Json;
import io.keygate.net.OutboundHttp;
import io.keygate.net.OutboundUrlGuard;
import io.keygate.store.InMemoryResourceStore;
import io.keygate.store.ResourceRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link GatewayTargetService} with a scripted {@link TargetListing}: when tools are listed and when
 * not, how listing failures and missing consent become statuses, the administrator-consent round trip
 * of AUTHORIZATION_CODE targets, DYNAMIC targets, the per-gateway name rule, and paging that never
 * shows another gateway's targets.
 */
class GatewayTargetServiceTests {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    private final InMemoryResourceStore store = new InMemoryResourceStore();
    private final List<URI> listed = new ArrayList<>();
    private List<String> nextTools = List.of("alpha", "beta");
    private String nextFailure;
    private String consentUrl;
    private GatewayService gateways;
    private GatewayTargetService targets;

    @BeforeEach
    void createServices() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        KeyringService keyrings = new KeyringService(store, CLOCK);
        keyrings.unseal(() -> MasterKey.fromBase64(Base64.getEncoder().encodeToString(key), "test"));
        OutboundUrlGuard guard = new OutboundUrlGuard(new KeygateConfig.OutboundPolicy(List.of(), false));
        var workloads = new WorkloadIdentityService(new ResourceRepository<>(store, keyrings, CLOCK,
                WorkloadIdentityService.KIND, WorkloadIdentity.class, "workload identity"), CLOCK);
        var targetRepository = new ResourceRepository<>(store, keyrings, CLOCK, GatewayTargetService.KIND,
                GatewayTarget.class, "gateway target");
        gateways = new GatewayService(new ResourceRepository<>(store, keyrings, CLOCK, GatewayService.KIND, Gateway.class,
                "gateway"), targetRepository, workloads, guard, CLOCK);
        var oauth2 = new Oauth2CredentialProviderService(new ResourceRepository<>(store, keyrings, CLOCK,
                Oauth2CredentialProviderService.KIND, Oauth2CredentialProvider.class, "OAuth2 credential provider"),
                VendorCatalogue.builtIn(), new MetadataResolver(new OutboundHttp(guard)), CLOCK);
        var apiKeys = new ApiKeyCredentialProviderService(new ResourceRepository<>(store, keyrings, CLOCK,
                ApiKeyCredentialProviderService.KIND, ApiKeyCredentialProvider.class, "API key credential provider"), CLOCK);
        targets = new GatewayTargetService(targetRepository, gateways, oauth2, apiKeys, this::list, guard, CLOCK);
        oauth2.create(new Oauth2ProviderInput("idp", "CustomOauth2", "customOauth2ProviderConfig", "client", "secret",
                null, null, null, new AuthorizationServerMetadata("https://idp.example", "https://idp.example/authorize",
                "https://idp.example/token", List.of("code"), null, null, false), null, null));
    }

    private TargetListing.Outcome list(Gateway gateway, GatewayTarget target) {
        listed.add(URI.create(target.targetConfiguration().at("/mcp/mcpServer/endpoint").asText()));
        if (consentUrl != null) {
            return new TargetListing.ConsentRequired(consentUrl);
        }
        if (nextFailure != null) {
            throw new ToolListingException(nextFailure, null);
        }
        return new TargetListing.Listed(nextTools.stream().map(name -> new ToolDefinition(name, null, null,
                Json.MAPPER.createObjectNode().put("type", "object"), null, null)).toList());
    }

    private String gateway(String name) {
        return gateways.create(new GatewayInput(name, null, null, null, null, "NONE", null, null, null, null, null, null))
                .gatewayId();
    }

    private static GatewayTargetInput mcpServer(String name, String endpoint) {
        JsonNode configuration = Json.MAPPER.createObjectNode().set("mcp", Json.MAPPER.createObjectNode()
                .set("mcpServer", Json.MAPPER.createObjectNode().put("endpoint", endpoint)));
        return new GatewayTargetInput(name, null, configuration, null, null);
    }

    private static GatewayTargetInput dynamic(String name, String endpoint) {
        JsonNode configuration = Json.MAPPER.createObjectNode().set("mcp", Json.MAPPER.createObjectNode()
                .set("mcpServer", Json.MAPPER.createObjectNode().put("endpoint", endpoint).put("listingMode", "DYNAMIC")));
        return new GatewayTargetInput(name, null, configuration, null, null);
    }

    /** An MCP server target acting with the consent of a user of the OAuth provider {@code idp}. */
    private GatewayTargetInput authorizationCode(String name) {
        var oauth = new CredentialProviderConfiguration("OAUTH", new CredentialProviderConfiguration.CredentialProvider(
                new CredentialProviderConfiguration.OAuthCredentialProvider("idp", List.of("read"), null,
                        "AUTHORIZATION_CODE", "https://app.example/return"), null));
        return new GatewayTargetInput(name, null, mcpServer(name, "http://127.0.0.1:9/mcp").targetConfiguration(),
                List.of(oauth), null);
    }

    private static List<String> names(GatewayTarget target) {
        return target.tools().stream().map(ToolDefinition::name).toList();
    }

    @Test
    void createWhenMcpServerThenListedOnceAndToolsStoredWithReadyStatus() {
        String gatewayId = gateway("g");

        GatewayTarget created = targets.create(gatewayId, mcpServer("t", "http://127.0.0.1:9/mcp"));

        assertThat(listed).containsExactly(URI.create("http://127.0.0.1:9/mcp"));
        assertThat(created.status()).isEqualTo(GatewayTarget.Status.READY);
        assertThat(created.lastSynchronizedAt()).isEqualTo(CLOCK.instant());
        assertThat(names(targets.get(gatewayId, created.targetId()))).containsExactly("alpha", "beta");
    }

    @Test
    void createWhenListingFailsThenStoredFailedWithTheReason() {
        String gatewayId = gateway("g");
        nextFailure = "Listing the tools of http://127.0.0.1:9/mcp failed: refused";

        GatewayTarget created = targets.create(gatewayId, mcpServer("t", "http://127.0.0.1:9/mcp"));

        assertThat(created.status()).isEqualTo(GatewayTarget.Status.FAILED);
        assertThat(created.statusReasons()).containsExactly(nextFailure);
        assertThat(targets.get(gatewayId, created.targetId()).tools()).isEmpty();
    }

    @Test
    void synchronizeWhenListingFailsThenUnsuccessfulAndPreviousToolsKept() {
        String gatewayId = gateway("g");
        GatewayTarget created = targets.create(gatewayId, mcpServer("t", "http://127.0.0.1:9/mcp"));
        nextFailure = "Listing the tools of http://127.0.0.1:9/mcp failed: timeout";

        GatewayTarget synced = targets.synchronize(gatewayId, List.of(created.targetId())).get(0);

        assertThat(synced.status()).isEqualTo(GatewayTarget.Status.SYNCHRONIZE_UNSUCCESSFUL);
        assertThat(names(synced)).containsExactly("alpha", "beta");
        nextFailure = null;
        nextTools = List.of("gamma");
        assertThat(names(targets.synchronize(gatewayId, List.of(created.targetId())).get(0))).containsExactly("gamma");
    }

    @Test
    void createWhenNameTakenInSameGatewayThenConflictButOtherGatewayMayReuseIt() {
        String first = gateway("first");
        String second = gateway("second");
        targets.create(first, mcpServer("same", "http://127.0.0.1:9/mcp"));

        assertThatThrownBy(() -> targets.create(first, mcpServer("same", "http://127.0.0.1:9/mcp")))
                .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        assertThat(targets.create(second, mcpServer("same", "http://127.0.0.1:9/mcp")).gatewayId()).isEqualTo(second);
    }

    @Test
    void listWhenPagedByOneThenOnlyThisGatewaysTargetsEachOnce() {
        String mine = gateway("a");
        String theirs = gateway("a");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            expected.add(targets.create(mine, mcpServer("mine" + i, "http://127.0.0.1:9/mcp")).targetId());
            targets.create(theirs, mcpServer("theirs" + i, "http://127.0.0.1:9/mcp"));
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        do {
            var page = targets.list(mine, token, 1);
            page.items().forEach(target -> seen.add(target.targetId()));
            token = page.nextToken();
        } while (token != null);

        assertThat(seen).containsExactlyInAnyOrderElementsOf(expected).hasSize(3);
    }

    @Test
    void createWhenOpenApiSchemaRefersToItselfThenValidationProblemAndNothingListed() {
        String gatewayId = gateway("g");
        String document = "{\"openapi\":\"3.0.0\",\"servers\":[{\"url\":\"https://api.example\"}],\"paths\":{\"/n\":{\"post\":"
                + "{\"operationId\":\"add\",\"requestBody\":{\"content\":{\"application/json\":{\"schema\":"
                + "{\"$ref\":\"#/components/schemas/Node\"}}}}}}},\"components\":{\"schemas\":{\"Node\":{\"type\":\"object\","
                + "\"properties\":{\"next\":{\"$ref\":\"#/components/schemas/Node\"}}}}}}";
        JsonNode configuration = Json.MAPPER.createObjectNode().set("mcp", Json.MAPPER.createObjectNode()
                .set("openApiSchema", Json.MAPPER.createObjectNode().put("inlinePayload", document)));

        assertThatThrownBy(() -> targets.create(gatewayId, new GatewayTargetInput("api", null, configuration, null, null)))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
                    assertThat(e.getMessage()).contains("POST /n").contains("recursive $ref");
                });
        assertThat(listed).isEmpty();
    }

    @Test
    void createWhenOpenApiServerVariableHasNoDefaultThenValidationProblemNamingIt() {
        String gatewayId = gateway("g");
        String document = "{\"openapi\":\"3.0.0\",\"servers\":[{\"url\":\"https://{region}.api.example\"}],"
                + "\"paths\":{\"/n\":{\"get\":{\"operationId\":\"list\"}}}}";
        JsonNode configuration = Json.MAPPER.createObjectNode().set("mcp", Json.MAPPER.createObjectNode()
                .set("openApiSchema", Json.MAPPER.createObjectNode().put("inlinePayload", document)));

        assertThatThrownBy(() -> targets.create(gatewayId, new GatewayTargetInput("api", null, configuration, null, null)))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
                    assertThat(e.getMessage()).contains("{region}").contains("default");
                });
    }

    @Test
    void createWhenAuthorizationCodeWithoutSchemaThenPendingAuthUntilConsentCompletesThenReady() {
        String gatewayId = gateway("g");
        consentUrl = "https://keygate.example/identities/oauth2/authorize?request_uri=urn%3A1";

        GatewayTarget pending = targets.create(gatewayId, authorizationCode("github"));

        assertThat(pending.status()).isEqualTo(GatewayTarget.Status.CREATE_PENDING_AUTH);
        String userId = pending.authorization().userId();
        assertThat(userId).matches(gatewayId + "_" + pending.targetId() + "_[0-9a-z]{10}");
        assertThat(pending.authorization().authorizationUrl()).isEqualTo(consentUrl);
        assertThat(pending.statusReasons()).singleElement().asString()
                .contains("CompleteResourceTokenAuth").contains(userId).contains("mcpToolSchema");
        assertThatThrownBy(() -> targets.delete(gatewayId, pending.targetId()))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                    assertThat(e.getMessage()).contains("CREATE_PENDING_AUTH").contains("mcpToolSchema");
                });

        consentUrl = null;
        assertThat(targets.consentCompleted(gatewayId, "user-id:someone-else")).isEmpty();
        assertThat(targets.consentCompleted("other-workload", "user-id:" + userId)).isEmpty();
        GatewayTarget ready = targets.consentCompleted(gatewayId, "user-id:" + userId).orElseThrow();

        assertThat(ready.status()).isEqualTo(GatewayTarget.Status.READY);
        assertThat(ready.authorization().authorizationUrl()).isNull();
        assertThat(ready.statusReasons()).singleElement().asString().contains(userId);
        assertThat(names(targets.get(gatewayId, pending.targetId()))).containsExactly("alpha", "beta");
        assertThat(targets.consentCompleted(gatewayId, "user-id:" + userId)).as("only a waiting target lists").isEmpty();
        targets.delete(gatewayId, pending.targetId());
    }

    @Test
    void synchronizeWhenAuthorizationCodeConsentLapsedThenSynchronizePendingAuthKeepingUserAndTools() {
        String gatewayId = gateway("g");
        GatewayTarget ready = targets.create(gatewayId, authorizationCode("github"));
        consentUrl = "https://keygate.example/identities/oauth2/authorize?request_uri=urn%3A2";

        GatewayTarget synced = targets.synchronize(gatewayId, List.of(ready.targetId())).get(0);

        assertThat(synced.status()).isEqualTo(GatewayTarget.Status.SYNCHRONIZE_PENDING_AUTH);
        assertThat(synced.authorization().userId()).isEqualTo(ready.authorization().userId());
        assertThat(names(synced)).containsExactly("alpha", "beta");
    }

    @Test
    void updateWhenSwitchedToAuthorizationCodeThenUpdatePendingAuthAndPreviousToolsDropped() {
        String gatewayId = gateway("g");
        GatewayTarget created = targets.create(gatewayId, mcpServer("github", "http://127.0.0.1:9/mcp"));
        consentUrl = "https://keygate.example/identities/oauth2/authorize?request_uri=urn%3A3";

        GatewayTarget updated = targets.update(gatewayId, created.targetId(), authorizationCode("github"));

        assertThat(updated.status()).isEqualTo(GatewayTarget.Status.UPDATE_PENDING_AUTH);
        assertThat(updated.authorization().userId()).startsWith(gatewayId + "_" + created.targetId() + "_");
        assertThat(updated.authorization().authorizationUrl()).isEqualTo(consentUrl);
        assertThat(updated.tools()).isEmpty();
    }

    @Test
    void createWhenListingModeDynamicThenReadyWithoutListingAndSynchronizeRefusedNamingTheFix() {
        String gatewayId = gateway("g");

        GatewayTarget created = targets.create(gatewayId, dynamic("live", "http://127.0.0.1:9/mcp"));

        assertThat(created.status()).isEqualTo(GatewayTarget.Status.READY);
        assertThat(created.listsDynamically()).isTrue();
        assertThat(created.tools()).isEmpty();
        assertThat(listed).isEmpty();
        assertThatThrownBy(() -> targets.synchronize(gatewayId, List.of(created.targetId())))
                .isInstanceOfSatisfying(ServiceException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.VALIDATION);
                    assertThat(e.getMessage()).contains("DYNAMIC").contains("listingMode DEFAULT");
                });
    }

    @Test
    void createWhenDynamicWithInlineToolSchemaThenValidationProblemOnListingMode() {
        String gatewayId = gateway("g");
        JsonNode configuration = Json.MAPPER.createObjectNode().set("mcp", Json.MAPPER.createObjectNode()
                .set("mcpServer", Json.MAPPER.createObjectNode().put("endpoint", "http://127.0.0.1:9/mcp")
                        .put("listingMode", "DYNAMIC").set("mcpToolSchema", Json.MAPPER.createObjectNode().put(
                                "inlinePayload", "{\"tools\":[{\"name\":\"a\",\"inputSchema\":{\"type\":\"object\"}}]}"))));

        assertThatThrownBy(() -> targets.create(gatewayId, new GatewayTargetInput("t", null, configuration, null, null)))
                .isInstanceOfSatisfying(ServiceException.class, e -> assertThat(e.getMessage())
                        .contains("targetConfiguration.mcp.mcpServer.listingMode").contains("remove mcpToolSchema"));
    }

    @Test
    void consentUserIdWhenGatewayIdLongThenAtMost128CharactersAndTargetFoundFromTheTail() {
        String userId = TargetConsent.newUserId("g".repeat(150) + "-abcdefghij", "ABCDE12345");

        assertThat(userId).hasSizeLessThanOrEqualTo(128).contains("_ABCDE12345_");
        assertThat(TargetConsent.targetIdOf("user-id:" + userId)).contains("ABCDE12345");
        assertThat(TargetConsent.targetIdOf("jwt:https://idp|" + userId)).isEmpty();
        assertThat(TargetConsent.targetIdOf("user-id:alice")).isEmpty();
    }
}
