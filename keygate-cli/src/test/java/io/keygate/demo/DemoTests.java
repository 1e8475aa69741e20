package io.keygate.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole demo over HTTP, as a browser walks it: the agent's sign-in at the demo IdP, the tool call
 * through the Keygate gateway (-32042), consent at the IdP, Keygate's callback, the app's return URL
 * where it binds the session with CompleteResourceTokenAuth, and the tool result with the user's files.
 */
class DemoTests {
    @TempDir
    static Path dataDir;
    private static Demo demo;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        demo = Demo.start(0, 0, dataDir);
        base = demo.url().toString().replaceAll("/$", "");
    }

    @AfterAll
    static void stop() throws Exception {
        demo.close();
    }

    @Test
    void demoWhenUserSignsInCallsToolAndConsentsThenToolResultIsTheirOwnFilesAndTimelineComplete() throws Exception {
        Browser browser = new Browser(true);
        signIn(browser, Map.of("user", "alice"));
        JsonNode asked = call(browser);
        assertThat(asked.path("phase").asText()).isEqualTo("CONSENT_REQUIRED");
        assertThat(asked.path("consentUrl").asText()).startsWith(demo.keygateUrl() + "/identities/oauth2/authorize?request_uri=");
        assertThat(timeline(browser)).containsExactly("created");

        consent(browser, asked.path("consentUrl").asText(), "allow");
        assertThat(state(browser).path("phase").asText()).isEqualTo("CONSENTED");
        JsonNode done = call(browser);

        assertThat(done.path("phase").asText()).as(done.toString()).isEqualTo("DONE");
        JsonNode result = Json.MAPPER.readTree(done.path("result").asText());
        assertThat(result.path("user").path("sub").asText()).isEqualTo("alice");
        assertThat(result.path("files").toString()).contains("Q3 roadmap.md");
        assertThat(result.path("token").path("clientId").asText()).as("Keygate's downstream token, not the agent's JWT")
                .isEqualTo("keygate");
        assertThat(timeline(browser)).containsExactly("created", "authorize-opened", "callback-received",
                "code-exchanged", "completed");
        assertThat(done.toString()).as("the page never sees a token").doesNotContain("eyJ");
    }

    @Test
    void demoWhenAnotherUserCallsTheToolThenConsentIsAskedAgainAndTheyGetTheirOwnFiles() throws Exception {
        Browser alice = new Browser(true);
        signIn(alice, Map.of("user", "alice"));
        JsonNode asked = call(alice);
        if (asked.path("phase").asText().equals("CONSENT_REQUIRED")) {
            consent(alice, asked.path("consentUrl").asText(), "allow");
            assertThat(call(alice).path("phase").asText()).isEqualTo("DONE");
        }
        Browser visitor = new Browser(true);
        signIn(visitor, Map.of("name", "Zoë Visitor"));
        JsonNode visitorAsked = call(visitor);
        assertThat(visitorAsked.path("phase").asText()).as("alice's grant is not the visitor's").isEqualTo("CONSENT_REQUIRED");
        consent(visitor, visitorAsked.path("consentUrl").asText(), "allow");
        JsonNode result = Json.MAPPER.readTree(call(visitor).path("result").asText());
        assertThat(result.path("user").path("name").asText()).isEqualTo("Zoë Visitor");
        assertThat(result.path("files").toString()).contains("Welcome, Zoë Visitor.txt").doesNotContain("Q3 roadmap");
    }

    @Test
    void returnUrlWhenSessionIdIsNotTheOneThisBrowserStartedThenNotBound() throws Exception {
        Browser mallory = new Browser(true);
        signIn(mallory, Map.of("user", "bob"));
        Browser victim = new Browser(true);
        signIn(victim, Map.of("name", "Victim"));
        String victimsSession = call(victim).path("sessionUri").asText();

        mallory.get(base + "/app/oauth/return?session_id=" + Web.encode(victimsSession));

        assertThat(state(mallory).path("error").asText()).contains("did not start from this browser");
        assertThat(state(mallory).path("phase").asText()).isEqualTo("SIGNED_IN");
        assertThat(timeline(victim)).doesNotContain("completion-attempt", "completed");
    }

    @Test
    void consentWhenDeniedThenNoGrantAndTheSessionRecordsTheRefusal() throws Exception {
        Browser browser = new Browser(true);
        signIn(browser, Map.of("name", "Denise"));
        JsonNode asked = call(browser);
        consent(browser, asked.path("consentUrl").asText(), "deny");
        assertThat(timeline(browser)).contains("failed");
        assertThat(call(browser).path("phase").asText()).as("still no grant").isEqualTo("CONSENT_REQUIRED");
    }

    @Test
    void actionsWhenPostedWithoutThePageHeaderThenRefused() throws Exception {
        Browser browser = new Browser(true);
        signIn(browser, Map.of("user", "alice"));
        HttpResponse<String> forged = browser.postForm(base + "/app/api/call", Map.of());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("X-Demo-Request");
    }

    private static void signIn(Browser browser, Map<String, String> who) throws Exception {
        HttpResponse<String> login = browser.get(base + "/app/login");
        assertThat(login.uri().getPath()).isEqualTo("/idp/authorize");
        Map<String, String> form = new java.util.HashMap<>(who);
        form.put("request", Browser.requestId(login.body()));
        HttpResponse<String> back = browser.postForm(base + "/idp/login", form);
        assertThat(back.uri().toString()).isEqualTo(base + "/");
        assertThat(state(browser).path("phase").asText()).as(state(browser).toString()).isEqualTo("SIGNED_IN");
    }

    /** Keygate's authorize URL → the IdP's consent page → allow or deny → Keygate's callback → the app. */
    private static void consent(Browser browser, String consentUrl, String decision) throws Exception {
        HttpResponse<String> page = browser.get(consentUrl);
        assertThat(page.body()).contains("Keygate for the Demo agent wants access", "Read the files in your Demo Drive");
        browser.postForm(base + "/idp/consent", Map.of("request", Browser.requestId(page.body()), "decision", decision));
    }

    private static JsonNode call(Browser browser) throws Exception {
        return Json.MAPPER.readTree(browser.postFetch(base + "/app/api/call").body());
    }

    private static JsonNode state(Browser browser) throws Exception {
        return Json.MAPPER.readTree(browser.get(base + "/app/api/state").body());
    }

    private static List<String> timeline(Browser browser) throws Exception {
        List<String> events = new ArrayList<>();
        Json.MAPPER.readTree(browser.get(base + "/app/api/timeline").body()).path("timeline")
                .forEach(event -> events.add(event.path("event").asText()));
        return events;
    }
}
