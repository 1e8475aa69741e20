package io.keygate.server.identity;

import io.keygate.access.AccessKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.bedrockagentcore.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockagentcore.model.GetResourceOauth2TokenResponse;
import software.amazon.awssdk.services.bedrockagentcore.model.Oauth2FlowType;
import software.amazon.awssdk.services.bedrockagentcore.model.ValidationException;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.keygate.server.identity.IdentityFixture.PROVIDER;
import static io.keygate.server.identity.IdentityFixture.RETURN_URL;
import static io.keygate.server.identity.IdentityFixture.WORKLOAD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rest of the data plane with the AWS SDK: M2M, API keys, workload access tokens (JV-1..JV-3 on
 * the user's JWT, TV-8 across workloads), and the front channel's refusals: forged state (CF-2),
 * issuer mix-up (CF-5), IdP errors, expiry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataPlaneIntegrationTests {
    private IdentityFixture fixture;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        fixture = new IdentityFixture(dataDir);
        fixture.keygate.controlClient().createApiKeyCredentialProvider(r -> r.name("weather").apiKey("weather-key-123"));
        fixture.keygate.controlClient().createWorkloadIdentity(r -> r.name("other-agent")
                .allowedResourceOauth2ReturnUrls(RETURN_URL));
    }

    @AfterAll
    void stop() throws Exception {
        fixture.close();
    }

    private GetResourceOauth2TokenResponse userFederation(String wat) {
        return fixture.data.getResourceOauth2Token(r -> r.workloadIdentityToken(wat).resourceCredentialProviderName(PROVIDER)
                .scopes("openid").oauth2Flow(Oauth2FlowType.USER_FEDERATION).resourceOauth2ReturnUrl(RETURN_URL)
                .forceAuthentication(true));
    }

    @Test
    void getResourceOauth2TokenWhenM2mThenClientCredentialsTokenCached() {
        String wat = fixture.data.getWorkloadAccessToken(r -> r.workloadName(WORKLOAD)).workloadAccessToken();
        fixture.drainIdpRequests();
        String first = fixture.data.getResourceOauth2Token(r -> r.workloadIdentityToken(wat)
                .resourceCredentialProviderName(PROVIDER).scopes("api").oauth2Flow(Oauth2FlowType.M2_M)).accessToken();
        String second = fixture.data.getResourceOauth2Token(r -> r.workloadIdentityToken(wat)
                .resourceCredentialProviderName(PROVIDER).scopes("api").oauth2Flow(Oauth2FlowType.M2_M)).accessToken();
        assertThat(first).isNotBlank().isEqualTo(second);
        assertThat(fixture.drainIdpRequests()).filteredOn(seen -> seen.startsWith("token:"))
                .containsExactly("token:client_credentials");
    }

    @Test
    void getResourceApiKeyWhenWorkloadTokenValidThenKeyReturned() {
        String wat = fixture.data.getWorkloadAccessToken(r -> r.workloadName(WORKLOAD)).workloadAccessToken();
        assertThat(fixture.data.getResourceApiKey(r -> r.workloadIdentityToken(wat).resourceCredentialProviderName("weather"))
                .apiKey()).isEqualTo("weather-key-123");
    }

    @Test
    void workloadTokenWhenAlteredExpiredOrOtherWorkloadThenAccessDeniedSaysWhy() {
        String wat = fixture.data.getWorkloadAccessToken(r -> r.workloadName(WORKLOAD)).workloadAccessToken();
        String altered = wat.substring(0, wat.length() - 4) + (wat.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertThatThrownBy(() -> fixture.data.getResourceApiKey(r -> r.workloadIdentityToken(altered)
                .resourceCredentialProviderName("weather"))).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("does not open");
        assertThatThrownBy(() -> fixture.data.getWorkloadAccessToken(r -> r.workloadName("other-agent")))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("may act only for");
        var admin = fixture.keygate.dataClient(fixture.keygate.adminCredentials());
        String otherWat = admin.getWorkloadAccessToken(r -> r.workloadName("other-agent")).workloadAccessToken();
        assertThatThrownBy(() -> fixture.data.getResourceApiKey(r -> r.workloadIdentityToken(otherWat)
                .resourceCredentialProviderName("weather"))).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("other-agent");
        fixture.keygate.clock().advance(Duration.ofHours(2));
        try {
            assertThatThrownBy(() -> fixture.data.getResourceApiKey(r -> r.workloadIdentityToken(wat)
                    .resourceCredentialProviderName("weather"))).isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("expired");
        } finally {
            fixture.keygate.clock().advance(Duration.ofHours(-2));
        }
    }

    @Test
    void getWorkloadAccessTokenForJwtWhenTokenBadThenAccessDeniedNamesProblem() {
        String unsigned = "eyJhbGciOiJub25lIn0." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("{\"iss\":\"" + fixture.idp.issuerUrl("default") + "\",\"sub\":\"eve\",\"exp\":9999999999}")
                        .getBytes()) + ".";
        assertThatThrownBy(() -> fixture.watForJwt(unsigned)).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("userToken was rejected");
        String foreign = fixture.idp.issueToken("someone-else", "eve", "aud").serialize();
        assertThatThrownBy(() -> fixture.watForJwt(foreign)).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("trusted");
        String expired = fixture.idp.issueToken("default", "eve", new no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback(
                "default", "eve", "JWT", List.of("agent-app"), java.util.Map.of(), -120)).serialize();
        assertThatThrownBy(() -> fixture.watForJwt(expired)).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void callbackWhenStateForgedOrMissingThenRefusedBeforeAnyTokenRequest() throws Exception {
        String wat = fixture.watForUserId("forger");
        GetResourceOauth2TokenResponse started = userFederation(wat);
        String toIdp = fixture.authorizeOnly(started.authorizationUrl());
        String callback = fixture.keygate.server().publicUrl() + "/identities/oauth2/callback/"
                + fixture.keygate.server().services().oauth2Providers().get(PROVIDER).callbackId();
        fixture.drainIdpRequests();
        String state = IdentityFixture.query(toIdp).get("state");
        String tampered = state.substring(0, state.length() - 1) + (state.endsWith("A") ? "B" : "A");
        for (String query : List.of("?code=abc&state=" + tampered, "?code=abc", "?code=abc&state=")) {
            HttpResponse<String> page = fixture.browser.send(HttpRequest.newBuilder(URI.create(callback + query)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as(query).isEqualTo(400);
            assertThat(page.body()).as(query).contains("Start again");
        }
        assertThat(fixture.drainIdpRequests()).noneMatch(seen -> seen.startsWith("token:"));
    }

    @Test
    void callbackWhenIssuerMixedUpOrIdpErrorThenSessionFailedAndCompletionSaysWhy() throws Exception {
        String wat = fixture.watForUserId("mixup");
        GetResourceOauth2TokenResponse started = userFederation(wat);
        String toIdp = fixture.authorizeOnly(started.authorizationUrl());
        String callback = fixture.keygate.server().publicUrl() + "/identities/oauth2/callback/"
                + fixture.keygate.server().services().oauth2Providers().get(PROVIDER).callbackId();
        String state = IdentityFixture.query(toIdp).get("state");
        fixture.drainIdpRequests();
        HttpResponse<String> page = fixture.browser.send(HttpRequest.newBuilder(URI.create(callback + "?code=abc&state="
                + state + "&iss=https%3A%2F%2Fevil.example")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("wrong issuer");
        assertThat(fixture.drainIdpRequests()).noneMatch(seen -> seen.startsWith("token:"));
        assertThatThrownBy(() -> fixture.data.completeResourceTokenAuth(r -> r.sessionUri(started.sessionUri())
                .userIdentifier(u -> u.userId("mixup")))).hasMessageContaining("AUTHORIZATION_FAILED");

        GetResourceOauth2TokenResponse denied = userFederation(wat);
        String deniedState = IdentityFixture.query(fixture.authorizeOnly(denied.authorizationUrl())).get("state");
        HttpResponse<String> errorPage = fixture.browser.send(HttpRequest.newBuilder(URI.create(callback
                + "?error=access_denied&error_description=%3Cscript%3E&state=" + deniedState)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(errorPage.body()).contains("access_denied").doesNotContain("<script>");
        assertThatThrownBy(() -> fixture.data.completeResourceTokenAuth(r -> r.sessionUri(denied.sessionUri())
                .userIdentifier(u -> u.userId("mixup")))).isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("AUTHORIZATION_FAILED").hasMessageContaining("access_denied");
        assertThat(fixture.data.getResourceOauth2Token(r -> r.workloadIdentityToken(wat).resourceCredentialProviderName(PROVIDER)
                .scopes("openid").oauth2Flow(Oauth2FlowType.USER_FEDERATION).sessionUri(denied.sessionUri()))
                .sessionStatusAsString()).isEqualTo("FAILED");
    }

    @Test
    void sessionWhenExpiredThenAuthorizePageAndCompletionSaySessionExpired() throws Exception {
        String wat = fixture.watForUserId("late-user");
        GetResourceOauth2TokenResponse started = userFederation(wat);
        fixture.keygate.clock().advance(Duration.ofMinutes(11));
        try {
            HttpResponse<String> page = fixture.browser.send(HttpRequest.newBuilder(URI.create(started.authorizationUrl()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(410);
            assertThat(page.body()).contains("expired");
            assertThatThrownBy(() -> fixture.data.completeResourceTokenAuth(r -> r.sessionUri(started.sessionUri())
                    .userIdentifier(u -> u.userId("late-user")))).hasMessageContaining("SESSION_EXPIRED");
            var view = fixture.keygate.server().services().sessionInspector().inspect(
                    fixture.keygate.server().services().accessKeys().create(AccessKey.Role.ADMIN, null, null).accessKey(),
                    started.sessionUri());
            assertThat(view.status()).isEqualTo("EXPIRED");
            assertThat(view.principalId()).isEqualTo("late-user");
            assertThat(view.timeline()).extracting(event -> event.event()).contains("created", "completion-attempt");
        } finally {
            fixture.keygate.clock().advance(Duration.ofMinutes(-11));
        }
    }

    @Test
    void getResourceOauth2TokenWhenWorkloadHasNoReturnUrlThenAwsMessage() {
        fixture.keygate.controlClient().createWorkloadIdentity(r -> r.name("no-return-urls"));
        var admin = fixture.keygate.dataClient(fixture.keygate.adminCredentials());
        String wat = admin.getWorkloadAccessTokenForUserId(r -> r.workloadName("no-return-urls").userId("u")).workloadAccessToken();
        assertThatThrownBy(() -> admin.getResourceOauth2Token(r -> r.workloadIdentityToken(wat)
                .resourceCredentialProviderName(PROVIDER).scopes("openid").oauth2Flow(Oauth2FlowType.USER_FEDERATION)))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("You must register and use at least one ResourceOauth2ReturnUrl");
        assertThatThrownBy(() -> admin.getResourceOauth2Token(r -> r.workloadIdentityToken(wat)
                .resourceCredentialProviderName(PROVIDER).scopes("openid").oauth2Flow(Oauth2FlowType.USER_FEDERATION)
                .customParameters(java.util.Map.of("redirect_uri", "https://evil.example"))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("cannot override");
    }

}
