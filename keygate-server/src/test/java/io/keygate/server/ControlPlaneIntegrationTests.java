package io.keygate.server;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.bedrockagentcorecontrol.BedrockAgentCoreControlClient;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.*;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every identity control-plane operation driven by the real AWS SDK for Java v2
 * ({@code BedrockAgentCoreControlClient}) against a real Keygate node, with mock-oauth2-server as the
 * discovery target: shapes, status codes, pagination and the SDK's typed exceptions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ControlPlaneIntegrationTests {
    private TestKeygate keygate;
    private BedrockAgentCoreControlClient control;
    private MockOAuth2Server idp;
    private final List<com.sun.net.httpserver.HttpServer> servers = new ArrayList<>();

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        idp = new MockOAuth2Server();
        idp.start(InetAddress.getByName("127.0.0.1"), 0);
        keygate = TestKeygate.start(dataDir);
        control = keygate.controlClient();
    }

    @AfterAll
    void stop() throws Exception {
        control.close();
        keygate.close();
        idp.shutdown();
        servers.forEach(server -> server.stop(0));
    }

    private String discoveryUrl() {
        return idp.wellKnownUrl("default").toString();
    }

    @Test
    void workloadIdentityWhenCreatedThenGetUpdateListDeleteRoundTrip() {
        var created = control.createWorkloadIdentity(r -> r.name("agent-crud")
                .allowedResourceOauth2ReturnUrls("http://localhost:8081/callback"));
        assertThat(created.workloadIdentityArn()).isEqualTo(
                "arn:aws:bedrock-agentcore:us-east-1:000000000000:workload-identity-directory/default/workload-identity/agent-crud");
        assertThat(created.allowedResourceOauth2ReturnUrls()).containsExactly("http://localhost:8081/callback");

        var fetched = control.getWorkloadIdentity(r -> r.name("agent-crud"));
        assertThat(fetched.createdTime()).isNotNull();
        assertThat(fetched.lastUpdatedTime()).isEqualTo(fetched.createdTime());

        var updated = control.updateWorkloadIdentity(r -> r.name("agent-crud")
                .allowedResourceOauth2ReturnUrls("https://app.example.com/oauth/return"));
        assertThat(updated.allowedResourceOauth2ReturnUrls()).containsExactly("https://app.example.com/oauth/return");
        assertThat(updated.lastUpdatedTime()).isAfterOrEqualTo(fetched.lastUpdatedTime());

        control.deleteWorkloadIdentity(r -> r.name("agent-crud"));
        assertThatThrownBy(() -> control.getWorkloadIdentity(r -> r.name("agent-crud")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageContaining("agent-crud");
    }

    @Test
    void listWorkloadIdentitiesWhenPagedThenEveryItemOnceAndNextTokenEndsNull() {
        for (int i = 0; i < 5; i++) {
            int n = i;
            control.createWorkloadIdentity(r -> r.name("paged-" + n));
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String current = token;
            var page = control.listWorkloadIdentities(r -> r.maxResults(2).nextToken(current));
            page.workloadIdentities().forEach(item -> seen.add(item.name()));
            token = page.nextToken();
            pages++;
        } while (token != null);
        assertThat(seen.stream().filter(name -> name.startsWith("paged-")))
                .containsExactly("paged-0", "paged-1", "paged-2", "paged-3", "paged-4");
        assertThat(pages).isGreaterThanOrEqualTo(3);
    }

    @Test
    void createWorkloadIdentityWhenInvalidThenTypedValidationExceptionWithFieldList() {
        assertThatThrownBy(() -> control.createWorkloadIdentity(r -> r.name("x!")
                .allowedResourceOauth2ReturnUrls("not a url")))
                .isInstanceOfSatisfying(ValidationException.class, error -> {
                    assertThat(error.statusCode()).isEqualTo(400);
                    assertThat(error.reason()).isEqualTo(ValidationExceptionReason.FIELD_VALIDATION_FAILED);
                    assertThat(error.fieldList()).extracting(ValidationExceptionField::name)
                            .contains("name", "allowedResourceOauth2ReturnUrls[0]");
                    assertThat(error.awsErrorDetails().errorMessage()).contains("name: must be 3 to 255 characters");
                });
    }

    @Test
    void createWorkloadIdentityWhenNameTakenThenConflictException() {
        control.createWorkloadIdentity(r -> r.name("twice"));
        assertThatThrownBy(() -> control.createWorkloadIdentity(r -> r.name("twice")))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("already exists");
    }

    @Test
    void apiKeyCredentialProviderWhenCreatedThenSecretNeverReturnedAndCrudWorks() {
        String apiKey = "canary-api-key-value-7f3a";
        var created = control.createApiKeyCredentialProvider(r -> r.name("weather").apiKey(apiKey));
        assertThat(created.credentialProviderArn()).isEqualTo(
                "arn:aws:bedrock-agentcore:us-east-1:000000000000:token-vault/default/apikeycredentialprovider/weather");
        assertThat(created.apiKeySecretArn().secretArn())
                .startsWith("arn:aws:secretsmanager:us-east-1:000000000000:secret:bedrock-agentcore-identity!default/apikey/weather-");
        assertThat(created.toString()).doesNotContain(apiKey);

        var updated = control.updateApiKeyCredentialProvider(r -> r.name("weather").apiKey("canary-rotated-key"));
        assertThat(updated.apiKeySecretArn().secretArn()).isEqualTo(created.apiKeySecretArn().secretArn());
        assertThat(control.getApiKeyCredentialProvider(r -> r.name("weather")).toString()).doesNotContain("canary");
        assertThat(control.listApiKeyCredentialProviders(r -> r.maxResults(100)).credentialProviders())
                .extracting(ApiKeyCredentialProviderItem::name).contains("weather");
        assertThat(keygate.server().services().apiKeyProviders().apiKey("weather")).isEqualTo("canary-rotated-key");

        control.deleteApiKeyCredentialProvider(r -> r.name("weather"));
        assertThatThrownBy(() -> control.getApiKeyCredentialProvider(r -> r.name("weather")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void createOauth2CredentialProviderWhenCustomDiscoveryUrlThenResolvedAndCallbackUrlReturned() {
        var created = control.createOauth2CredentialProvider(r -> r.name("custom-idp")
                .credentialProviderVendor(CredentialProviderVendorType.CUSTOM_OAUTH2)
                .oauth2ProviderConfigInput(c -> c.customOauth2ProviderConfig(custom -> custom
                        .oauthDiscovery(d -> d.discoveryUrl(discoveryUrl()))
                        .clientId("client-1").clientSecret("canary-client-secret-91"))));
        assertThat(created.credentialProviderArn()).isEqualTo(
                "arn:aws:bedrock-agentcore:us-east-1:000000000000:token-vault/default/oauth2credentialprovider/custom-idp");
        assertThat(created.callbackUrl()).matches(keygate.server().publicUrl()
                + "/identities/oauth2/callback/[0-9a-f-]{36}");
        assertThat(created.clientSecretArn().secretArn()).contains("bedrock-agentcore-identity!default/oauth2/custom-idp-");
        assertThat(created.oauth2ProviderConfigOutput().customOauth2ProviderConfig().oauthDiscovery().discoveryUrl())
                .isEqualTo(discoveryUrl());
        assertThat(created.oauth2ProviderConfigOutput().customOauth2ProviderConfig().clientId()).isEqualTo("client-1");
        assertThat(created.toString()).doesNotContain("canary-client-secret-91");

        var fetched = control.getOauth2CredentialProvider(r -> r.name("custom-idp"));
        assertThat(fetched.credentialProviderVendor()).isEqualTo(CredentialProviderVendorType.CUSTOM_OAUTH2);
        assertThat(fetched.callbackUrl()).isEqualTo(created.callbackUrl());
        assertThat(keygate.server().services().oauth2Providers().get("custom-idp").metadata().tokenEndpoint())
                .isEqualTo(idp.tokenEndpointUrl("default").toString());
    }

    @Test
    void createOauth2CredentialProviderWhenAuthorizationServerMetadataThenEchoed() {
        var created = control.createOauth2CredentialProvider(r -> r.name("inline-metadata")
                .credentialProviderVendor(CredentialProviderVendorType.CUSTOM_OAUTH2)
                .oauth2ProviderConfigInput(c -> c.customOauth2ProviderConfig(custom -> custom
                        .oauthDiscovery(d -> d.authorizationServerMetadata(m -> m.issuer("https://idp.example")
                                .authorizationEndpoint("https://idp.example/authorize")
                                .tokenEndpoint("https://idp.example/token")
                                .responseTypes("code")
                                .tokenEndpointAuthMethods("client_secret_post")))
                        .clientId("c").clientSecret("s"))));
        var metadata = created.oauth2ProviderConfigOutput().customOauth2ProviderConfig().oauthDiscovery()
                .authorizationServerMetadata();
        assertThat(metadata.tokenEndpoint()).isEqualTo("https://idp.example/token");
        assertThat(metadata.tokenEndpointAuthMethods()).containsExactly("client_secret_post");
    }

    @Test
    void createOauth2CredentialProviderWhenBuiltInVendorsThenKnownEndpointsReported() {
        var google = control.createOauth2CredentialProvider(r -> r.name("google")
                .credentialProviderVendor(CredentialProviderVendorType.GOOGLE_OAUTH2)
                .oauth2ProviderConfigInput(c -> c.googleOauth2ProviderConfig(g -> g.clientId("g-id").clientSecret("g-secret"))));
        assertThat(google.oauth2ProviderConfigOutput().googleOauth2ProviderConfig().oauthDiscovery()
                .authorizationServerMetadata().authorizationEndpoint()).isEqualTo("https://accounts.google.com/o/oauth2/v2/auth");

        var microsoft = control.createOauth2CredentialProvider(r -> r.name("entra")
                .credentialProviderVendor(CredentialProviderVendorType.MICROSOFT_OAUTH2)
                .oauth2ProviderConfigInput(c -> c.microsoftOauth2ProviderConfig(m -> m.clientId("m-id")
                        .clientSecret("m-secret").tenantId("contoso-tenant"))));
        assertThat(microsoft.oauth2ProviderConfigOutput().microsoftOauth2ProviderConfig().oauthDiscovery()
                .authorizationServerMetadata().tokenEndpoint())
                .isEqualTo("https://login.microsoftonline.com/contoso-tenant/oauth2/v2.0/token");
    }

    @Test
    void createOauth2CredentialProviderWhenVendorAndMemberDisagreeThenValidationNamesTheFix() {
        assertThatThrownBy(() -> control.createOauth2CredentialProvider(r -> r.name("mismatch")
                .credentialProviderVendor(CredentialProviderVendorType.GITHUB_OAUTH2)
                .oauth2ProviderConfigInput(c -> c.googleOauth2ProviderConfig(g -> g.clientId("a").clientSecret("b")))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("githubOauth2ProviderConfig");
    }

    @Test
    void createOauth2CredentialProviderWhenTenantVendorWithoutEndpointsThenValidationAsksForThem() {
        assertThatThrownBy(() -> control.createOauth2CredentialProvider(r -> r.name("okta")
                .credentialProviderVendor(CredentialProviderVendorType.OKTA_OAUTH2)
                .oauth2ProviderConfigInput(c -> c.includedOauth2ProviderConfig(g -> g.clientId("a").clientSecret("b")))))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("issuer");
        var okta = control.createOauth2CredentialProvider(r -> r.name("okta")
                .credentialProviderVendor(CredentialProviderVendorType.OKTA_OAUTH2)
                .oauth2ProviderConfigInput(c -> c.includedOauth2ProviderConfig(g -> g.clientId("a").clientSecret("b")
                        .issuer("https://acme.okta.com").authorizationEndpoint("https://acme.okta.com/oauth2/v1/authorize")
                        .tokenEndpoint("https://acme.okta.com/oauth2/v1/token"))));
        assertThat(okta.oauth2ProviderConfigOutput().includedOauth2ProviderConfig().clientId()).isEqualTo("a");
    }

    @Test
    void createOauth2CredentialProviderWhenDiscoveryUrlUnsafeOrWrongThenValidationSaysWhy() throws Exception {
        assertThatThrownBy(() -> createCustom("metadata-address", "http://169.254.169.254/.well-known/openid-configuration"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("link-local or metadata address");
        assertThatThrownBy(() -> createCustom("plain-http", "http://192.0.2.10/.well-known/openid-configuration"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("plain http");
        assertThatThrownBy(() -> createCustom("wrong-issuer", impostorDiscoveryUrl()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("customOauth2ProviderConfig.oauthDiscovery.discoveryUrl")
                .hasMessageContaining("does not match the discovery URL");
        assertThatThrownBy(() -> control.getOauth2CredentialProvider(r -> r.name("wrong-issuer")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    /** Serves the real IdP's discovery document (its own issuer) under another issuer's URL. */
    private String impostorDiscoveryUrl() throws Exception {
        byte[] document;
        try (var in = new java.net.URL(discoveryUrl()).openStream()) {
            document = in.readAllBytes();
        }
        var impostor = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        impostor.createContext("/impostor/.well-known/openid-configuration", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, document.length);
            exchange.getResponseBody().write(document);
            exchange.close();
        });
        impostor.start();
        servers.add(impostor);
        return "http://127.0.0.1:" + impostor.getAddress().getPort() + "/impostor/.well-known/openid-configuration";
    }

    private void createCustom(String name, String url) {
        control.createOauth2CredentialProvider(r -> r.name(name)
                .credentialProviderVendor(CredentialProviderVendorType.CUSTOM_OAUTH2)
                .oauth2ProviderConfigInput(c -> c.customOauth2ProviderConfig(custom -> custom
                        .oauthDiscovery(d -> d.discoveryUrl(url)).clientId("c"))));
    }

    @Test
    void updateAndListAndDeleteOauth2CredentialProviderWhenExistingThenReplacedAndGone() {
        control.createOauth2CredentialProvider(r -> r.name("github")
                .credentialProviderVendor(CredentialProviderVendorType.GITHUB_OAUTH2)
                .oauth2ProviderConfigInput(c -> c.githubOauth2ProviderConfig(g -> g.clientId("old").clientSecret("s1"))));
        var updated = control.updateOauth2CredentialProvider(r -> r.name("github")
                .credentialProviderVendor(CredentialProviderVendorType.GITHUB_OAUTH2)
                .oauth2ProviderConfigInput(c -> c.githubOauth2ProviderConfig(g -> g.clientId("new").clientSecret("s2"))));
        assertThat(updated.oauth2ProviderConfigOutput().githubOauth2ProviderConfig().clientId()).isEqualTo("new");
        assertThat(keygate.server().services().oauth2Providers().clientSecret("github")).contains("s2");
        assertThat(control.listOauth2CredentialProviders(r -> r.maxResults(20)).credentialProviders())
                .extracting(Oauth2CredentialProviderItem::name).contains("github");
        assertThatThrownBy(() -> control.listOauth2CredentialProviders(r -> r.maxResults(21)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("maxResults");
        control.deleteOauth2CredentialProvider(r -> r.name("github"));
        assertThatThrownBy(() -> control.deleteOauth2CredentialProvider(r -> r.name("github")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void tokenVaultWhenReadAndSetThenServiceManagedAndCustomerKeyRefused() {
        var vault = control.getTokenVault(r -> r.tokenVaultId("default"));
        assertThat(vault.tokenVaultId()).isEqualTo("default");
        assertThat(vault.kmsConfiguration().keyType()).isEqualTo(KeyType.SERVICE_MANAGED_KEY);
        assertThat(vault.lastModifiedDate()).isNotNull();
        var set = control.setTokenVaultCMK(r -> r.kmsConfiguration(k -> k.keyType(KeyType.SERVICE_MANAGED_KEY)));
        assertThat(set.kmsConfiguration().keyType()).isEqualTo(KeyType.SERVICE_MANAGED_KEY);
        assertThatThrownBy(() -> control.setTokenVaultCMK(r -> r.kmsConfiguration(k -> k.keyType(KeyType.CUSTOMER_MANAGED_KEY)
                .kmsKeyArn("arn:aws:kms:us-east-1:000000000000:key/abc"))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("keys rotate");
        assertThatThrownBy(() -> control.getTokenVault(r -> r.tokenVaultId("other")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void controlPlaneWhenWorkloadScopedKeyThenAccessDeniedException() {
        var issued = keygate.server().services().accessKeys().create(io.keygate.access.AccessKey.Role.WORKLOAD,
                List.of("agent-scoped"), "test");
        try (var scoped = keygate.controlClient(TestKeygate.credentials(issued.accessKey().accessKeyId(),
                issued.secretAccessKey()))) {
            assertThatThrownBy(() -> scoped.listWorkloadIdentities(r -> r.maxResults(5)))
                    .isInstanceOfSatisfying(AccessDeniedException.class, error -> {
                        assertThat(error.statusCode()).isEqualTo(403);
                        assertThat(error.getMessage()).contains("only the data plane").contains("agent-scoped");
                    });
        }
    }

    @Test
    void createApiKeyCredentialProviderWhenBodyHasWrongTypeThenCannotParse() {
        assertThatThrownBy(() -> control.createApiKeyCredentialProvider(r -> r.name("").apiKey("k")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("name");
        assertThat(SdkBytes.fromUtf8String("x")).isNotNull();
    }
}
