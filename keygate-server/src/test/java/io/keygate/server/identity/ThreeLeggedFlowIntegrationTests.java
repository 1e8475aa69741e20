package io.keygate.server.identity;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.bedrockagentcore.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockagentcore.model.GetResourceOauth2TokenResponse;
import software.amazon.awssdk.services.bedrockagentcore.model.Oauth2FlowType;
import software.amazon.awssdk.services.bedrockagentcore.model.SessionStatus;
import software.amazon.awssdk.services.bedrockagentcore.model.ValidationException;

import java.nio.file.Path;
import java.util.List;

import static io.keygate.server.identity.IdentityFixture.PROVIDER;
import static io.keygate.server.identity.IdentityFixture.RETURN_URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The 3-legged OAuth flow with session binding, end to end: the AWS SDK for Java v2
 * {@code BedrockAgentCoreClient} as the workload, mock-oauth2-server as the real IdP, an HTTP client as
 * the browser. Includes the seed bug reproduced and explained (security.md CF-1, CF-3, CF-7).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThreeLeggedFlowIntegrationTests {
    private IdentityFixture fixture;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        fixture = new IdentityFixture(dataDir);
    }

    @AfterAll
    void stop() throws Exception {
        fixture.close();
    }

    private GetResourceOauth2TokenResponse request(String wat, String sessionUri, Boolean force) {
        return fixture.data.getResourceOauth2Token(r -> r.workloadIdentityToken(wat)
                .resourceCredentialProviderName(PROVIDER).scopes("openid", "profile")
                .oauth2Flow(Oauth2FlowType.USER_FEDERATION).resourceOauth2ReturnUrl(RETURN_URL)
                .sessionUri(sessionUri).forceAuthentication(force).customState("app-state-1"));
    }

    /** Starts a flow, walks the browser through consent, returns the session_id the app receives. */
    private String consent(String wat) throws Exception {
        GetResourceOauth2TokenResponse started = request(wat, null, true);
        assertThat(started.sessionStatus()).isEqualTo(SessionStatus.IN_PROGRESS);
        IdentityFixture.BrowserRun run = fixture.open(started.authorizationUrl());
        assertThat(run.finalLocation()).as(run.locations().toString()).startsWith(RETURN_URL);
        return IdentityFixture.query(run.finalLocation()).get("session_id");
    }

    @Test
    void userFederationWhenJwtStartedAndCompletedWithFreshJwtThenTokenServedAndPolled() throws Exception {
        String wat = fixture.watForJwt(fixture.userJwt("alice"));
        GetResourceOauth2TokenResponse started = request(wat, null, null);
        assertThat(started.accessToken()).isNull();
        assertThat(started.sessionUri()).matches("urn:ietf:params:oauth:request_uri:[A-Za-z0-9_-]{43}");
        assertThat(started.authorizationUrl()).startsWith(fixture.keygate.server().publicUrl()
                + "/identities/oauth2/authorize?request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3A");
        assertThat(request(wat, started.sessionUri(), null).sessionStatus()).isEqualTo(SessionStatus.IN_PROGRESS);

        IdentityFixture.BrowserRun run = fixture.open(started.authorizationUrl());
        String toIdp = run.locations().get(0);
        assertThat(IdentityFixture.query(toIdp)).containsEntry("code_challenge_method", "S256")
                .containsEntry("response_type", "code").containsEntry("client_id", "keygate-client")
                .containsKeys("state", "nonce", "code_challenge").doesNotContainKey("request_uri");
        var returned = IdentityFixture.query(run.finalLocation());
        assertThat(returned).containsEntry("session_id", started.sessionUri()).containsEntry("state", "app-state-1");

        // the seed bug: completion with the user's e-mail although the flow started from a JWT
        assertThatThrownBy(() -> fixture.data.completeResourceTokenAuth(r -> r.sessionUri(started.sessionUri())
                .userIdentifier(u -> u.userId("alice@example.com"))))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageStartingWith("Invalid or expired session: USER_MISMATCH")
                .hasMessageContaining("userIdentifier.userToken").hasMessageContaining("bearer token the MCP client sent");

        // a freshly minted JWT for the same subject proves the same user
        fixture.data.completeResourceTokenAuth(r -> r.sessionUri(started.sessionUri())
                .userIdentifier(u -> u.userToken(fixture.userJwt("alice"))));

        GetResourceOauth2TokenResponse polled = request(wat, started.sessionUri(), null);
        assertThat(polled.accessToken()).isNotBlank();
        assertThat(request(fixture.watForJwt(fixture.userJwt("alice")), null, null).accessToken())
                .isEqualTo(polled.accessToken());
        assertThatThrownBy(() -> fixture.data.completeResourceTokenAuth(r -> r.sessionUri(started.sessionUri())
                .userIdentifier(u -> u.userToken(fixture.userJwt("alice")))))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("ALREADY_COMPLETED");
    }

    @Test
    void completeWhenJwtOfAnotherSubjectThenUserMismatchAndNothingStoredForAnyone() throws Exception {
        String bobWat = fixture.watForJwt(fixture.userJwt("bob"));
        String sessionUri = consent(bobWat);
        assertThatThrownBy(() -> fixture.data.completeResourceTokenAuth(r -> r.sessionUri(sessionUri)
                .userIdentifier(u -> u.userToken(fixture.userJwt("mallory")))))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("USER_MISMATCH").hasMessageContaining("another user");
        var vault = fixture.keygate.server().services().userTokenVault();
        String issuer = fixture.idp.issuerUrl("default").toString();
        assertThat(vault.inspect(IdentityFixture.WORKLOAD, "jwt:" + issuer + "|bob", PROVIDER)).isEmpty();
        assertThat(vault.inspect(IdentityFixture.WORKLOAD, "jwt:" + issuer + "|mallory", PROVIDER)).isEmpty();
        // the consent belonged to someone else: the session is closed, even for the right user
        assertThatThrownBy(() -> fixture.data.completeResourceTokenAuth(r -> r.sessionUri(sessionUri)
                .userIdentifier(u -> u.userToken(fixture.userJwt("bob")))))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("USER_MISMATCH");
        assertThat(request(bobWat, sessionUri, null).sessionStatus()).isEqualTo(SessionStatus.FAILED);
    }

    @Test
    void userFederationWhenUserIdStartedThenOnlyThatUserIdCompletes() throws Exception {
        String wat = fixture.watForUserId("user-42");
        String sessionUri = consent(wat);
        assertThatThrownBy(() -> fixture.data.completeResourceTokenAuth(r -> r.sessionUri(sessionUri)
                .userIdentifier(u -> u.userToken(fixture.userJwt("user-42")))))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("USER_MISMATCH")
                .hasMessageContaining("userIdentifier.userId");
        fixture.data.completeResourceTokenAuth(r -> r.sessionUri(sessionUri).userIdentifier(u -> u.userId("user-42")));
        assertThat(request(wat, sessionUri, null).accessToken()).isNotBlank();
        // the two principal kinds are separate vault namespaces
        assertThat(request(fixture.watForJwt(fixture.userJwt("user-42")), null, null).accessToken()).isNull();
    }

    @Test
    void callbackWhenDeliveredTwiceThenCodeRedeemedOnceAndSameOutcome() throws Exception {
        String wat = fixture.watForUserId("double-callback");
        GetResourceOauth2TokenResponse started = request(wat, null, true);
        fixture.drainIdpRequests();
        var toIdp = fixture.browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(started.authorizationUrl()))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).headers().firstValue("Location").orElseThrow();
        var toCallback = fixture.browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(toIdp)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).headers().firstValue("Location").orElseThrow();
        var first = fixture.open(toCallback);
        var second = fixture.open(toCallback);
        assertThat(second.finalLocation()).isEqualTo(first.finalLocation());
        assertThat(fixture.drainIdpRequests()).filteredOn(seen -> seen.startsWith("token:"))
                .containsExactly("token:authorization_code");
        assertThat(first.last().headers().firstValue("Referrer-Policy")).contains("no-referrer");
        assertThat(first.last().headers().firstValue("Cache-Control")).contains("no-store");
    }

    @Test
    void authorizeWhenOpenedAgainBeforeCallbackThenSameRedirectAndFlowStillCompletes() throws Exception {
        String wat = fixture.watForUserId("preview-user");
        GetResourceOauth2TokenResponse started = request(wat, null, true);
        String preview = fixture.authorizeOnly(started.authorizationUrl());
        String again = fixture.authorizeOnly(started.authorizationUrl());
        assertThat(again).isEqualTo(preview);
        String sessionUri = IdentityFixture.query(fixture.open(started.authorizationUrl()).finalLocation()).get("session_id");
        fixture.data.completeResourceTokenAuth(r -> r.sessionUri(sessionUri).userIdentifier(u -> u.userId("preview-user")));
        assertThat(request(wat, sessionUri, null).accessToken()).isNotBlank();
        var page = fixture.browser.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(started.authorizationUrl()))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(409);
        assertThat(page.body()).contains("already used");
    }

    @Test
    void completeWhenAttackerStartedFlowAndVictimCompletesThenNothingStored() throws Exception {
        // CF-1 (b)/(c): the attacker's session reaches the victim's application callback; the application
        // completes it with the victim's identity
        String attackerWat = fixture.watForJwt(fixture.userJwt("attacker"));
        String sessionUri = consent(attackerWat);
        assertThatThrownBy(() -> fixture.data.completeResourceTokenAuth(r -> r.sessionUri(sessionUri)
                .userIdentifier(u -> u.userToken(fixture.userJwt("victim")))))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("USER_MISMATCH");
        String issuer = fixture.idp.issuerUrl("default").toString();
        var vault = fixture.keygate.server().services().userTokenVault();
        assertThat(vault.inspect(IdentityFixture.WORKLOAD, "jwt:" + issuer + "|victim", PROVIDER)).isEmpty();
        assertThat(vault.inspect(IdentityFixture.WORKLOAD, "jwt:" + issuer + "|attacker", PROVIDER)).isEmpty();
    }

    @Test
    void authorizeWhenCustomParametersResourcesAndAudiencesThenPassedToIdp() throws Exception {
        // the Java SDK 2.40.3 model predates resources and audiences: call the service as the API adapter does
        var services = fixture.keygate.server().services();
        var admin = services.accessKeys().create(io.keygate.access.AccessKey.Role.ADMIN, null, null).accessKey();
        String wat = services.workloadAccessTokens().forUserId(admin, IdentityFixture.WORKLOAD, "params-user");
        var started = services.resourceTokens().getResourceOauth2Token(admin, new io.keygate.identity.token
                .ResourceTokenService.Request(wat, PROVIDER, List.of("files.read"), "USER_FEDERATION", null,
                RETURN_URL, null, java.util.Map.of("prompt", "consent", "login_hint", "params-user@example.com"), null,
                List.of("https://api.example.com/"), List.of("https://graph.example.com")));
        var toIdp = IdentityFixture.query(fixture.authorizeOnly(started.authorizationUrl()));
        assertThat(toIdp).as("nonce only with openid").doesNotContainKey("nonce");
        assertThat(toIdp).containsEntry("prompt", "consent").containsEntry("login_hint", "params-user@example.com")
                .containsEntry("resource", "https://api.example.com/").containsEntry("audience", "https://graph.example.com")
                .containsEntry("scope", "files.read");
    }

    @Test
    void completeWhenConsentNotFinishedOrUnknownSessionThenReasonAndFix() {
        String wat = fixture.watForUserId("slow-user");
        GetResourceOauth2TokenResponse started = request(wat, null, true);
        assertThatThrownBy(() -> fixture.data.completeResourceTokenAuth(r -> r.sessionUri(started.sessionUri())
                .userIdentifier(u -> u.userId("slow-user"))))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("CONSENT_NOT_FINISHED")
                .hasMessageContaining("never opened");
        assertThatThrownBy(() -> fixture.data.completeResourceTokenAuth(r -> r.sessionUri(
                "urn:ietf:params:oauth:request_uri:doesnotexist").userIdentifier(u -> u.userId("slow-user"))))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("SESSION_NOT_FOUND")
                .hasMessageContaining("session_id");
    }

    @Test
    void getResourceOauth2TokenWhenReturnUrlNotAllowedThenValidationNamesTheList() {
        String wat = fixture.watForUserId("redirect-user");
        // security.md Part 4 B7, plus near-misses of the registered URL
        for (String evil : List.of("https://evil.example", "//evil.example", "/\\evil.example", "https:evil.example",
                "https://good.example@evil.example", "https://good.example.evil.example", "https://evil-good.example",
                "%2F%2Fevil.example", "%09//evil.example", "javascript:alert(1)", "data:text/html,<script>alert(1)</script>",
                RETURN_URL + "\r\nLocation: https://evil.example", RETURN_URL + "/../x", RETURN_URL + "?next=https://evil.example",
                "http://127.0.0.1:9@evil.example/app/oauth-return", RETURN_URL.toUpperCase(java.util.Locale.ROOT))) {
            assertThatThrownBy(() -> fixture.data.getResourceOauth2Token(r -> r.workloadIdentityToken(wat)
                    .resourceCredentialProviderName(PROVIDER).scopes("openid").oauth2Flow(Oauth2FlowType.USER_FEDERATION)
                    .resourceOauth2ReturnUrl(evil)))
                    .as(evil).isInstanceOf(ValidationException.class).hasMessageContaining("resourceOauth2ReturnUrl");
        }
    }
}
