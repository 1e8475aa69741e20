package io.keygate.server.identity;

import io.keygate.identity.binding.BindingLoginSettings;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.bedrockagentcore.model.GetResourceOauth2TokenResponse;
import software.amazon.awssdk.services.bedrockagentcore.model.Oauth2FlowType;
import software.amazon.awssdk.services.bedrockagentcore.model.SessionStatus;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.keygate.server.identity.IdentityFixture.PROVIDER;
import static io.keygate.server.identity.IdentityFixture.WORKLOAD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keygate's built-in session binding, end to end over HTTP: mock-oauth2-server is both the downstream
 * provider and the IdP of the users' JWTs, where the binding page signs the browser user in. Covers
 * security.md CF-1 (the signed-in user must be the originator, else nothing is stored: TV-8), CF-2
 * (state tampered, replayed, delivered to another browser: zero token requests), CF-3 (PKCE S256),
 * CF-4 (nonce, ID token), §1.7 SM-1 (the cookie) and LG-1 (nothing secret on the pages).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BindingPageIntegrationTests {
    private static final String LOGIN_CLIENT = "binding-client";
    private IdentityFixture fixture;
    private String bindUrl;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        fixture = new IdentityFixture(dataDir);
        bindUrl = fixture.keygate.server().publicUrl() + "/identities/oauth2/bind";
        try (var control = fixture.keygate.controlClient()) {
            control.updateWorkloadIdentity(r -> r.name(WORKLOAD)
                    .allowedResourceOauth2ReturnUrls(IdentityFixture.RETURN_URL, bindUrl));
        }
        fixture.keygate.server().services().bindingLogins().configure(WORKLOAD, new BindingLoginSettings.Request(
                fixture.idp.wellKnownUrl("default").toString(), LOGIN_CLIENT, "binding-secret", List.of("profile")));
    }

    @AfterAll
    void stop() throws Exception {
        fixture.close();
    }

    /** A browser with its own cookies; records every response, stops before a URL that {@code stopBefore} matches. */
    private static final class Browser {
        final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)).build();
        final List<HttpResponse<String>> responses = new ArrayList<>();

        /** Follows redirects from {@code url}; returns the last response, or the URL it stopped before. */
        String open(String url, Predicate<String> stopBefore) throws Exception {
            String next = url;
            for (int hop = 0; hop < 12; hop++) {
                if (stopBefore.test(next)) {
                    return next;
                }
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(next)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                responses.add(response);
                next = response.headers().firstValue("Location").orElse(null);
                if (next == null) {
                    return null;
                }
            }
            throw new AssertionError("too many redirects from " + url);
        }

        HttpResponse<String> last() {
            return responses.get(responses.size() - 1);
        }

        HttpResponse<String> get(String url) throws Exception {
            open(url, any -> false);
            return last();
        }
    }

    /** {@code user} starts a flow that returns to the binding page; returns its authorization URL. */
    private String starts(String user) {
        var started = request(user, null);
        assertThat(started.sessionStatus()).isEqualTo(SessionStatus.IN_PROGRESS);
        return started.authorizationUrl();
    }

    private GetResourceOauth2TokenResponse request(String user, String sessionUri) {
        String wat = fixture.watForJwt(fixture.userJwt(user));
        return fixture.data.getResourceOauth2Token(r -> r.workloadIdentityToken(wat)
                .resourceCredentialProviderName(PROVIDER).scopes("openid", "profile").sessionUri(sessionUri)
                .oauth2Flow(Oauth2FlowType.USER_FEDERATION).resourceOauth2ReturnUrl(bindUrl)
                .forceAuthentication(sessionUri == null ? true : null));
    }

    /**
     * The subjects of the IdP's next token answers, in order: the downstream consent's, then the binding
     * page's sign-in(s). Each test queues exactly the answers its token requests consume.
     */
    private void idpUsers(String... subjects) {
        for (String subject : subjects) {
            fixture.idp.enqueueCallback(new DefaultOAuth2TokenCallback("default", subject, "JWT", null, Map.of(), 3600));
        }
    }

    private String principal(String subject) {
        return "jwt:" + fixture.idp.issuerUrl("default") + "|" + subject;
    }

    private boolean vaultHas(String subject) {
        return fixture.keygate.server().services().userTokenVault().inspect(WORKLOAD, principal(subject), PROVIDER)
                .isPresent();
    }

    private static Predicate<String> bindCallback() {
        return url -> url.contains("/identities/oauth2/bind/callback");
    }

    /** A flow whose browser stopped right before delivering the IdP's sign-in answer to the binding page. */
    private record Pending(String authorizationUrl, Browser browser, String callback) {
    }

    /** {@code user} starts a flow, consents and signs in as themselves, up to the binding page's callback. */
    private Pending pending(String user) throws Exception {
        String authorizationUrl = starts(user);
        idpUsers(user, user);
        Browser browser = new Browser();
        return new Pending(authorizationUrl, browser, browser.open(authorizationUrl, bindCallback()));
    }

    @Test
    void bindWhenSignedInUserIsTheOriginatorThenConnectedAndTokenStoredForHer() throws Exception {
        Pending pending = pending("alice");
        Browser browser = pending.browser();
        String callback = pending.callback();

        HttpResponse<String> bind = browser.responses.stream()
                .filter(response -> response.uri().getPath().equals("/identities/oauth2/bind")).findFirst().orElseThrow();
        String cookie = bind.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).startsWith("keygate-binding=").contains("HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=600")
                .doesNotContain("Secure");
        Map<String, String> signIn = IdentityFixture.query(bind.headers().firstValue("Location").orElseThrow());
        assertThat(signIn).containsEntry("client_id", LOGIN_CLIENT).containsEntry("code_challenge_method", "S256")
                .containsEntry("redirect_uri", bindUrl + "/callback").containsEntry("scope", "openid profile")
                .containsKeys("state", "nonce", "code_challenge");
        assertThat(signIn.get("state")).hasSizeGreaterThanOrEqualTo(43);

        HttpResponse<String> page = browser.get(callback);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Connected");
        assertThat(page.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertNothingSecretOn(page.body(), callback);
        assertThat(vaultHas("alice")).isTrue();
        assertThat(request("alice", IdentityFixture.query(pending.authorizationUrl()).get("request_uri")).accessToken())
                .isNotBlank();
    }

    @Test
    void bindWhenAnotherUserOpensTheForwardedLinkThenConsentBelongsToAnotherUserAndNothingStored() throws Exception {
        String authorizationUrl = starts("dave");
        idpUsers("erin", "erin");
        Browser erin = new Browser();
        erin.open(authorizationUrl, any -> false);

        assertThat(erin.last().statusCode()).isEqualTo(403);
        assertThat(erin.last().body()).contains("This consent belongs to another user").contains("stored nothing");
        assertThat(vaultHas("dave")).isFalse();
        assertThat(vaultHas("erin")).isFalse();
        String sessionUri = IdentityFixture.query(authorizationUrl).get("request_uri");
        assertThat(request("dave", sessionUri).sessionStatus()).isEqualTo(SessionStatus.FAILED);
    }

    @Test
    void bindCallbackWhenStateTamperedOrOtherBrowserThenRefusedWithoutTokenRequest() throws Exception {
        Pending pending = pending("frank");
        Browser browser = pending.browser();
        String callback = pending.callback();
        fixture.drainIdpRequests();

        String state = IdentityFixture.query(callback).get("state");
        String flipped = (state.charAt(0) == 'A' ? 'B' : 'A') + state.substring(1);
        HttpResponse<String> tampered = browser.get(callback.replace("state=" + state, "state=" + flipped));
        assertThat(tampered.statusCode()).isEqualTo(400);
        assertThat(tampered.body()).contains("This sign-in response is unknown");

        HttpResponse<String> elsewhere = new Browser().get(callback);
        assertThat(elsewhere.statusCode()).isEqualTo(403);
        assertThat(elsewhere.body()).contains("started in another browser");
        assertThat(fixture.drainIdpRequests()).noneMatch(request -> request.startsWith("token:"));

        assertThat(browser.get(callback).body()).contains("Connected");
        assertThat(vaultHas("frank")).isTrue();
    }

    @Test
    void bindCallbackWhenReplayedThenAlreadyUsedAndCodeNotRedeemedAgain() throws Exception {
        Pending pending = pending("grace");
        Browser browser = pending.browser();
        String callback = pending.callback();
        assertThat(browser.get(callback).statusCode()).isEqualTo(200);
        fixture.drainIdpRequests();

        HttpResponse<String> replay = browser.get(callback);
        assertThat(replay.statusCode()).isEqualTo(409);
        assertThat(replay.body()).contains("already used");
        assertThat(fixture.drainIdpRequests()).noneMatch(request -> request.startsWith("token:"));
    }

    @Test
    void bindCallbackWhenIdpRefusesOrWrongIssuerThenPageSaysSoAndOpeningTheLinkAgainConnects() throws Exception {
        Pending pending = pending("heidi");
        Browser browser = pending.browser();
        String callback = pending.callback();
        String bindLink = browser.responses.stream().map(response -> response.headers().firstValue("Location").orElse(""))
                .filter(location -> location.startsWith(bindUrl + "?session_id=")).findFirst().orElseThrow();
        String state = IdentityFixture.query(callback).get("state");
        fixture.drainIdpRequests();

        HttpResponse<String> refused = browser.get(bindUrl + "/callback?error=access_denied&state=" + state);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("did not sign you in").contains("access_denied").contains("Nothing was stored");
        assertThat(vaultHas("heidi")).isFalse();

        String second = browser.open(bindLink, bindCallback());
        String wrongIssuer = second + "&iss=" + java.net.URLEncoder.encode("http://127.0.0.1:9/evil",
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(browser.get(wrongIssuer).body()).contains("came from the wrong issuer");
        assertThat(fixture.drainIdpRequests()).noneMatch(request -> request.startsWith("token:"));

        String third = browser.open(bindLink, bindCallback());
        assertThat(browser.get(third).body()).contains("Connected");
        assertThat(vaultHas("heidi")).isTrue();
    }

    @Test
    void bindCallbackWhenIdTokenNonceIsNotThisSignInsThenNotVerifiedAndNothingStored() throws Exception {
        String authorizationUrl = starts("judy");
        idpUsers("judy");
        fixture.idp.enqueueCallback(new DefaultOAuth2TokenCallback("default", "judy", "JWT", null,
                Map.of("nonce", "replayed-from-another-sign-in"), 3600));
        Browser browser = new Browser();
        browser.open(authorizationUrl, any -> false);

        assertThat(browser.last().statusCode()).isEqualTo(400);
        assertThat(browser.last().body()).contains("Your sign-in could not be verified").contains("nonce");
        assertThat(vaultHas("judy")).isFalse();
    }

    @Test
    void bindCallbackWhenAttemptOutlivedItsLifetimeThenExpiredAndNothingStored() throws Exception {
        String authorizationUrl = starts("ivan");
        idpUsers("ivan");
        Browser browser = new Browser();
        String callback = browser.open(authorizationUrl, bindCallback());
        fixture.keygate.clock().advance(java.time.Duration.ofMinutes(11));
        fixture.drainIdpRequests();

        HttpResponse<String> late = browser.get(callback);
        assertThat(late.statusCode()).isEqualTo(410);
        assertThat(late.body()).contains("This link has expired");
        assertThat(fixture.drainIdpRequests()).noneMatch(request -> request.startsWith("token:"));
        assertThat(vaultHas("ivan")).isFalse();
    }

    @Test
    void bindWhenSessionReturnsToTheApplicationOrIsUnknownThenPageSaysSo() throws Exception {
        String wat = fixture.watForJwt(fixture.userJwt("carol"));
        String sessionUri = fixture.data.getResourceOauth2Token(r -> r.workloadIdentityToken(wat)
                .resourceCredentialProviderName(PROVIDER).scopes("openid")
                .oauth2Flow(Oauth2FlowType.USER_FEDERATION).resourceOauth2ReturnUrl(IdentityFixture.RETURN_URL)
                .forceAuthentication(true)).sessionUri();
        Browser browser = new Browser();
        HttpResponse<String> elsewhere = browser.get(bindUrl + "?session_id=" + java.net.URLEncoder.encode(sessionUri,
                java.nio.charset.StandardCharsets.UTF_8));
        assertThat(elsewhere.statusCode()).isEqualTo(400);
        assertThat(elsewhere.body()).contains("This consent returns to an application");
        assertThat(elsewhere.headers().firstValue("Set-Cookie")).isEmpty();

        assertThat(browser.get(bindUrl + "?session_id=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Anope").statusCode())
                .isEqualTo(404);
        assertThat(browser.get(bindUrl).statusCode()).isEqualTo(400);
    }

    private void assertNothingSecretOn(String body, String callback) {
        Map<String, String> answer = IdentityFixture.query(callback);
        assertThat(body).doesNotContain(answer.get("code")).doesNotContain(answer.get("state"))
                .doesNotContain("request_uri").doesNotContain("urn:ietf");
    }
}
