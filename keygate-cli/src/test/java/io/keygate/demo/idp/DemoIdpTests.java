package io.keygate.demo.idp;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.keygate.demo.Browser;
import io.keygate.demo.Web;
import io.keygate.json.Json;
import io.keygate.server.http.QueryString;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo IdP's OAuth rules over HTTP: exact redirect URIs, PKCE S256, single-use codes, client
 * authentication, browser-bound login and consent forms, RFC 9207 {@code iss}, and a Graph API that
 * takes only tokens issued for it with {@code files.read}.
 */
class DemoIdpTests {
    private static final String REDIRECT = "http://127.0.0.1:9/callback";
    private static final String SECRET = "test-secret";
    private static Server jetty;
    private static String issuer;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        connector.open();
        issuer = "http://127.0.0.1:" + connector.getLocalPort() + "/idp";
        DemoIdp idp = new DemoIdp(URI.create(issuer), Clock.systemUTC());
        idp.register(new DemoIdp.Client("graph-app", SECRET, Set.of(URI.create(REDIRECT)), DemoIdp.GRAPH_AUDIENCE,
                false, "Graph app"));
        idp.register(new DemoIdp.Client("other-app", SECRET, Set.of(URI.create(REDIRECT)), "elsewhere", true, "Other app"));
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new IdpServlet(idp, Clock.systemUTC())), "/idp/*");
        jetty.setHandler(context);
        jetty.start();
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
    }

    @Test
    void tokenWhenVerifierAndRedirectMatchThenTokensForTheUserAndTheCodeWorksOnce() throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        String code = authorize(new Browser(false), "graph-app", verifier, "openid profile files.read", "alice");

        HttpResponse<String> first = token("graph-app", SECRET, code, REDIRECT, verifier.getValue());
        HttpResponse<String> second = token("graph-app", SECRET, code, REDIRECT, verifier.getValue());

        assertThat(first.statusCode()).isEqualTo(200);
        JsonNode tokens = Json.MAPPER.readTree(first.body());
        assertThat(tokens.path("refresh_token").asText()).isNotEmpty();
        assertThat(claims(tokens.path("id_token").asText()).path("nonce").asText()).isEqualTo("n-0S6");
        assertThat(second.statusCode()).isEqualTo(400);
        assertThat(second.body()).contains("invalid_grant");
        JsonNode files = Json.MAPPER.readTree(graph(tokens.path("access_token").asText()).body());
        assertThat(files.path("user").path("sub").asText()).isEqualTo("alice");
        assertThat(files.path("token").path("clientId").asText()).isEqualTo("graph-app");
    }

    @Test
    void tokenWhenVerifierRedirectOrSecretIsWrongThenRefused() throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        Browser browser = new Browser(false);
        String scope = "openid files.read";
        assertThat(token("graph-app", SECRET, authorize(browser, "graph-app", verifier, scope, "bob"), REDIRECT,
                new CodeVerifier().getValue()).body()).contains("invalid_grant");
        assertThat(token("graph-app", SECRET, authorize(browser, "graph-app", verifier, scope, "bob"),
                REDIRECT + "/other", verifier.getValue()).body()).contains("invalid_grant");
        HttpResponse<String> wrongSecret = token("graph-app", "guess", authorize(browser, "graph-app", verifier, scope,
                "bob"), REDIRECT, verifier.getValue());
        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(wrongSecret.body()).contains("invalid_client");
        assertThat(token("other-app", SECRET, authorize(browser, "graph-app", verifier, scope, "bob"), REDIRECT,
                verifier.getValue()).body()).as("a code is for the client it was issued to").contains("invalid_grant");
    }

    @Test
    void authorizeWhenRedirectUnregisteredThenPageNotRedirectAndWhenNoPkceThenInvalidRequest() throws Exception {
        Browser browser = new Browser(false);
        HttpResponse<String> foreign = browser.get(issuer + "/authorize?response_type=code&client_id=graph-app&state=s"
                + "&redirect_uri=" + Web.encode("http://evil.example/cb") + "&scope=openid&code_challenge_method=S256"
                + "&code_challenge=abc");
        assertThat(foreign.statusCode()).isEqualTo(400);
        assertThat(foreign.headers().firstValue("Location")).isEmpty();
        HttpResponse<String> noPkce = browser.get(issuer + "/authorize?response_type=code&client_id=graph-app&state=s1"
                + "&redirect_uri=" + Web.encode(REDIRECT) + "&scope=openid");
        assertThat(noPkce.headers().firstValue("Location").orElseThrow())
                .isEqualTo(REDIRECT + "?error=invalid_request&state=s1&iss=" + Web.encode(issuer));
    }

    @Test
    void loginAndConsentWhenPostedFromAnotherBrowserThenRefused() throws Exception {
        Browser owner = new Browser(false);
        String page = owner.get(authorizeUrl("graph-app", new CodeVerifier(), "openid")).body();
        HttpResponse<String> forged = new Browser(false).postForm(issuer + "/login",
                Map.of("request", Browser.requestId(page), "user", "alice"));
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).contains("This sign-in has expired");
    }

    @Test
    void consentWhenDeniedThenAccessDeniedWithStateAndIssuerAndThePageCannotBeFramed() throws Exception {
        Browser browser = new Browser(false);
        String login = browser.get(authorizeUrl("graph-app", new CodeVerifier(), "openid")).body();
        HttpResponse<String> consent = browser.postForm(issuer + "/login", Map.of("request", Browser.requestId(login),
                "user", "bob"));
        assertThat(consent.body()).contains("Graph app wants access", "Know who you are at the Demo IdP");
        assertThat(consent.headers().firstValue("Content-Security-Policy")).contains("frame-ancestors 'none'");
        HttpResponse<String> denied = browser.postForm(issuer + "/consent",
                Map.of("request", Browser.requestId(consent.body()), "decision", "deny"));
        assertThat(denied.headers().firstValue("Location").orElseThrow())
                .isEqualTo(REDIRECT + "?error=access_denied&state=af0ifjsldkj&iss=" + Web.encode(issuer));
    }

    @Test
    void graphWhenTokenIsForAnotherAudienceLacksTheScopeOrIsMissingThenRefused() throws Exception {
        Browser browser = new Browser(false);
        CodeVerifier verifier = new CodeVerifier();
        String otherAudience = accessToken(authorize(browser, "other-app", verifier, "openid files.read", "alice"),
                "other-app", verifier);
        String noScope = accessToken(authorize(browser, "graph-app", verifier, "openid profile", "alice"), "graph-app",
                verifier);
        assertThat(graph(otherAudience).statusCode()).isEqualTo(401);
        HttpResponse<String> insufficient = graph(noScope);
        assertThat(insufficient.statusCode()).isEqualTo(403);
        assertThat(insufficient.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("insufficient_scope");
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(issuer + "/graph/me/files")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
    }

    @Test
    void refreshWhenTokenIsTheClientsThenNewAccessTokenElseInvalidGrant() throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        String code = authorize(new Browser(false), "graph-app", verifier, "openid files.read", "bob");
        String refreshToken = Json.MAPPER.readTree(token("graph-app", SECRET, code, REDIRECT, verifier.getValue()).body())
                .path("refresh_token").asText();
        HttpResponse<String> refreshed = post("graph-app", SECRET, "grant_type=refresh_token&refresh_token=" + refreshToken);
        HttpResponse<String> stolen = post("other-app", SECRET, "grant_type=refresh_token&refresh_token=" + refreshToken);
        assertThat(graph(Json.MAPPER.readTree(refreshed.body()).path("access_token").asText()).statusCode()).isEqualTo(200);
        assertThat(stolen.body()).contains("invalid_grant");
    }

    private static String authorizeUrl(String clientId, CodeVerifier verifier, String scope) {
        return issuer + "/authorize?response_type=code&client_id=" + clientId + "&redirect_uri=" + Web.encode(REDIRECT)
                + "&scope=" + Web.encode(scope) + "&state=af0ifjsldkj&nonce=n-0S6&code_challenge_method=S256"
                + "&code_challenge=" + CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue();
    }

    /** Login (first time in this browser), consent for third-party clients, then the code from the redirect. */
    private static String authorize(Browser browser, String clientId, CodeVerifier verifier, String scope, String user)
            throws Exception {
        HttpResponse<String> page = browser.get(authorizeUrl(clientId, verifier, scope));
        if (page.body().contains("action=\"/idp/login\"")) {
            page = browser.postForm(issuer + "/login", Map.of("request", Browser.requestId(page.body()), "user", user));
        }
        if (page.statusCode() == 200) {
            page = browser.postForm(issuer + "/consent", Map.of("request", Browser.requestId(page.body()), "decision", "allow"));
        }
        String location = page.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(REDIRECT + "?code=").endsWith("&state=af0ifjsldkj&iss=" + Web.encode(issuer));
        return QueryString.parse(URI.create(location).getRawQuery()).get("code");
    }

    private static String accessToken(String code, String clientId, CodeVerifier verifier) throws Exception {
        return Json.MAPPER.readTree(token(clientId, SECRET, code, REDIRECT, verifier.getValue()).body())
                .path("access_token").asText();
    }

    private static HttpResponse<String> token(String clientId, String secret, String code, String redirect,
                                              String verifier) throws Exception {
        return post(clientId, secret, "grant_type=authorization_code&code=" + Web.encode(code) + "&redirect_uri="
                + Web.encode(redirect) + "&code_verifier=" + verifier);
    }

    private static HttpResponse<String> post(String clientId, String secret, String form) throws Exception {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes());
        return HTTP.send(HttpRequest.newBuilder(URI.create(issuer + "/token")).header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> graph(String accessToken) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(issuer + "/graph/me/files"))
                .header("Authorization", "Bearer " + accessToken).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode claims(String jwt) throws Exception {
        return Json.MAPPER.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }
}
