package io.keygate.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.audit.AuditEvent;
import io.keygate.json.Json;
import io.keygate.server.identity.ScriptedTokenEndpoint;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.CredentialProviderVendorType;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Errors that explain themselves (issue 4 item 6): each failure reaches the MCP client as an error
 * naming the target and what to fix, and is in the audit log with a reason code — a target refusing the
 * injected credential, an identity provider refusing to refresh a user's grant, a return URL the
 * gateway's workload identity does not list, and a client whose protocol has no URL elicitation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayToolErrorsIntegrationTests {
    private GatewayFixture fixture;
    private ScriptedTokenEndpoint tokenEndpoint;
    private SignedJson signed;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        fixture = new GatewayFixture(dataDir);
        signed = new SignedJson(fixture.keygate);
        var control = fixture.keygate.controlClient();
        control.createApiKeyCredentialProvider(r -> r.name("stale-key").apiKey("revoked-456"));
        tokenEndpoint = new ScriptedTokenEndpoint(URI.create(fixture.idp.tokenEndpointUrl("default").toString()));
        control.createOauth2CredentialProvider(r -> r.name("mailbox")
                .credentialProviderVendor(CredentialProviderVendorType.CUSTOM_OAUTH2)
                .oauth2ProviderConfigInput(c -> c.customOauth2ProviderConfig(custom -> custom
                        .oauthDiscovery(d -> d.authorizationServerMetadata(m -> m
                                .issuer(fixture.idp.issuerUrl("default").toString())
                                .authorizationEndpoint(fixture.idp.authorizationEndpointUrl("default").toString())
                                .tokenEndpoint(tokenEndpoint.url().toString()).responseTypes("code")))
                        .clientId("mail-client").clientSecret("mail-secret"))));
        addTarget("locked", "{\"credentialProviderType\":\"API_KEY\",\"credentialProvider\":{\"apiKeyCredentialProvider\":"
                + "{\"providerArn\":\"stale-key\",\"credentialLocation\":\"HEADER\"}}}");
        addTarget("mail", "{\"credentialProviderType\":\"OAUTH\",\"credentialProvider\":{\"oauthCredentialProvider\":"
                + "{\"providerArn\":\"mailbox\",\"scopes\":[\"openid\"],\"grantType\":\"AUTHORIZATION_CODE\","
                + "\"defaultReturnUrl\":\"" + GatewayFixture.RETURN_URL + "\"}}}");
    }

    /** A target on the fixture's MCP server with an inline echo tool and the given credential. */
    private void addTarget(String name, String credential) throws Exception {
        String schema = Json.write(Map.of("tools", List.of(Map.of("name", "echo", "description", "Echo a city",
                "inputSchema", Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")))))));
        assertThat(signed.send("POST", "/gateways/" + fixture.gatewayId + "/targets/", "{\"name\":\"" + name + "\","
                + "\"targetConfiguration\":{\"mcp\":{\"mcpServer\":{\"endpoint\":\"" + fixture.target.endpoint()
                + "\",\"mcpToolSchema\":{\"inlinePayload\":" + Json.write(schema) + "}}}},"
                + "\"credentialProviderConfigurations\":[" + credential + "]}").status()).isEqualTo(202);
    }

    @AfterAll
    void stop() throws Exception {
        tokenEndpoint.close();
        fixture.close();
    }

    private List<AuditEvent> audit() {
        return fixture.keygate.server().services().audit().list(null, 1000).items();
    }

    private static String text(McpSchema.CallToolResult result) {
        return GatewayFixture.text(result);
    }

    private static McpError elicitationError(McpSyncClient client, String tool) {
        return (McpError) catchThrowable(() -> client.callTool(new McpSchema.CallToolRequest(tool, Map.of("city", "Oslo"))));
    }

    @Test
    void toolCallWhenTargetRefusesInjectedCredentialThenToolErrorNamingTargetAndProvider() {
        try (McpSyncClient client = fixture.client(fixture.userJwt("lena"))) {
            for (int status : List.of(401, 403)) {
                fixture.target.refuse("Bearer revoked-456", status);

                var result = client.callTool(new McpSchema.CallToolRequest("locked___echo", Map.of("city", "Oslo")));

                assertThat(result.isError()).isTrue();
                assertThat(text(result)).contains("Target locked").contains("HTTP " + status)
                        .contains("refused the credential Keygate sent").contains("API_KEY from provider stale-key")
                        .doesNotContain("revoked-456");
            }
        }
        assertThat(audit()).filteredOn(event -> "locked".equals(event.provider()))
                .extracting(AuditEvent::outcome).containsOnly("TARGET_REFUSED_CREDENTIAL").hasSize(2);
    }

    @Test
    void toolCallWhenIdentityProviderRefusesRefreshThenElicitationNamingProviderToConsentAgain() throws Exception {
        String jwt = fixture.userJwt("mona");
        tokenEndpoint.expiresIn("authorization_code", 30);
        try (McpSyncClient client = fixture.client(jwt)) {
            String url = Json.MAPPER.valueToTree(elicitationError(client, "mail___echo").getJsonRpcError().data())
                    .path("elicitations").get(0).path("url").asText();
            String sessionUri = fixture.consent(url);
            fixture.keygate.dataClient(fixture.keygate.adminCredentials())
                    .completeResourceTokenAuth(r -> r.sessionUri(sessionUri).userIdentifier(u -> u.userToken(jwt)));
            tokenEndpoint.failNext(400);

            McpError again = elicitationError(client, "mail___echo");

            assertThat(again.getJsonRpcError().code()).isEqualTo(-32042);
            JsonNode elicitation = Json.MAPPER.valueToTree(again.getJsonRpcError().data()).path("elicitations").get(0);
            assertThat(elicitation.path("message").asText()).contains("Target mail").contains("'mailbox'")
                    .contains("invalid_grant").contains("consent again");
            assertThat(elicitation.path("url").asText()).contains("/identities/oauth2/authorize?request_uri=");
        }
        assertThat(tokenEndpoint.grants()).containsSubsequence("authorization_code", "refresh_token");
        assertThat(audit()).anyMatch(event -> event.event().equals("tool-call-needs-consent")
                && "mail".equals(event.provider()) && "REAUTH_REQUIRED".equals(event.outcome()));
    }

    @Test
    void toolCallWhenWorkloadIdentityListsNoReturnUrlThenToolErrorNamingWorkloadAndTheFix() {
        var control = fixture.keygate.controlClient();
        String workload = fixture.keygate.server().services().gateways().get(fixture.gatewayId).workloadIdentityName();
        control.updateWorkloadIdentity(r -> r.name(workload).allowedResourceOauth2ReturnUrls(List.of()));
        try (McpSyncClient client = fixture.client(fixture.userJwt("nils"))) {
            var result = client.callTool(new McpSchema.CallToolRequest("graph___echo", Map.of("city", "Oslo")));

            assertThat(result.isError()).isTrue();
            assertThat(text(result)).contains("target graph").contains("ResourceOauth2ReturnUrl")
                    .contains("UpdateWorkloadIdentity").contains(workload);
        } finally {
            control.updateWorkloadIdentity(r -> r.name(workload).allowedResourceOauth2ReturnUrls(GatewayFixture.RETURN_URL));
        }
        assertThat(audit()).anyMatch(event -> event.event().equals("tool-call-refused")
                && "graph".equals(event.provider()) && "RETURN_URL_NOT_ALLOWED".equals(event.outcome()));
    }

    @Test
    void toolCallWhenClientProtocolPredatesUrlElicitationThenResultCarriesLinkAndNamesTheVersion() throws Exception {
        for (String version : List.of("2025-03-26", "2025-06-18")) {
            String bearer = "Bearer " + fixture.userJwt("otto-" + version);
            HttpResponse<String> initialized = fixture.post("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                    + "{\"protocolVersion\":\"" + version + "\",\"capabilities\":{\"elicitation\":{}},"
                    + "\"clientInfo\":{\"name\":\"old\",\"version\":\"1\"}}}", bearer, null);
            String session = initialized.headers().firstValue("Mcp-Session-Id").orElseThrow();

            HttpResponse<String> called = fixture.post("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":"
                    + "{\"name\":\"graph___echo\",\"arguments\":{\"city\":\"Oslo\"}}}", bearer, session);

            assertThat(called.statusCode()).isEqualTo(200);
            JsonNode result = Json.MAPPER.readTree(called.body()).path("result");
            assertThat(result.path("isError").asBoolean()).isTrue();
            assertThat(result.path("content").get(0).path("text").asText()).contains("Target graph")
                    .contains("/identities/oauth2/authorize?request_uri=").contains("MCP protocol " + version)
                    .contains("2025-11-25");
        }
        assertThat(audit()).anyMatch(event -> event.event().equals("tool-call-needs-consent")
                && "CLIENT_CANNOT_ELICIT".equals(event.outcome()));
    }
}
