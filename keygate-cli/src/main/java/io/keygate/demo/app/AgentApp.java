package io.keygate.demo.app;

import io.keygate.demo.Web;
import io.keygate.identity.principal.Hashes;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.bedrockagentcore.model.BedrockAgentCoreException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo agent application: its page ({@code /}), its sign-in at the demo IdP, the "call the tool"
 * action (an MCP client through the Keygate gateway), the return URL Keygate sends the browser to after
 * consent (where the app binds the session with {@code CompleteResourceTokenAuth}), and the session
 * inspector's timeline for the page's panel. The user's token stays on the server.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore/latest/APIReference/API_CompleteResourceTokenAuth.html">CompleteResourceTokenAuth</a>
 */
public final class AgentApp extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger(AgentApp.class);
    static final String SESSION_COOKIE = "keygate_demo_app";
    private static final Map<String, String> ASSETS = Map.of("/", "index.html", "/demo.css", "demo.css",
            "/demo.js", "demo.js");

    private final transient AgentLogin login;
    private final transient Clock clock;
    private final transient Map<String, AgentSession> sessions = new ConcurrentHashMap<>();
    private transient volatile GatewayAgent agent;
    private transient volatile KeygateLink keygate;

    AgentApp(AgentLogin login, Clock clock) {
        this.login = login;
        this.clock = clock;
    }

    /** The app's sign-in at the demo IdP; {@code callback} is {@code /app/login/callback} on this app. */
    public static AgentApp create(URI issuer, String clientId, String secret, URI callback, Clock clock) {
        return new AgentApp(new AgentLogin(issuer, clientId, secret, callback), clock);
    }

    /** Called once Keygate is set up; until then the actions answer 503. */
    public void connect(URI gatewayUrl, String tool, KeygateLink link) {
        this.agent = new GatewayAgent(gatewayUrl, tool);
        this.keygate = link;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI();
        try {
            switch (path) {
                case "/app/login" -> Web.redirect(response, login.start(session(request, response)).toString());
                case "/app/login/callback" -> loginCallback(request, response);
                case "/app/oauth/return" -> consentReturn(request, response);
                case "/app/api/state" -> Web.json(response, 200, session(request, response).view());
                case "/app/api/timeline" -> timeline(request, response);
                default -> asset(path, response);
            }
        } catch (Exception failure) {
            LOG.warn("Demo app: {} failed", path, failure);
            Web.json(response, 500, Map.of("error", "The demo app failed; the terminal running keygate demo says why."));
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // a page script sets this header; a form posted from another site cannot
        if (!"fetch".equals(request.getHeader("X-Demo-Request"))) {
            Web.json(response, 403, Map.of("error", "Send X-Demo-Request: fetch (the page's script does)."));
            return;
        }
        switch (request.getRequestURI()) {
            case "/app/api/call" -> callTool(request, response);
            case "/app/api/logout" -> {
                Web.cookie(request, SESSION_COOKIE).ifPresent(sessions::remove);
                Web.json(response, 200, Map.of("phase", AgentSession.Phase.SIGNED_OUT.name()));
            }
            default -> Web.json(response, 404, Map.of("error", "No such action."));
        }
    }

    private void loginCallback(HttpServletRequest request, HttpServletResponse response) throws Exception {
        AgentSession session = session(request, response);
        try {
            session.signedIn(login.finish(session, Web.parameters(request)), clock.instant());
        } catch (IllegalStateException refused) {
            session.failed("Sign-in failed: " + refused.getMessage(), clock.instant());
        }
        Web.redirect(response, "/");
    }

    private void callTool(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AgentSession session = session(request, response);
        AgentSession.User user = session.user();
        if (user == null || agent == null) {
            Web.json(response, user == null ? 401 : 503, Map.of("error", user == null ? "Sign in first."
                    : "Keygate is still being set up; try again in a moment."));
            return;
        }
        session.step(clock.instant(), "Agent called " + agent.tool(), "MCP tools/call through the Keygate gateway, "
                + "with the user's JWT as bearer token");
        try {
            GatewayAgent.Outcome outcome = agent.call(user.token());
            if (outcome instanceof GatewayAgent.ConsentRequired consent) {
                session.consentRequired(consent.url(), consent.sessionUri(), clock.instant());
            } else if (outcome instanceof GatewayAgent.Result result && !result.isError()) {
                session.finished(result.text(), clock.instant());
            } else {
                session.failed("The tool answered with an error: " + ((GatewayAgent.Result) outcome).text(), clock.instant());
            }
        } catch (RuntimeException failed) { // McpError, or the transport's error when the gateway refuses the request
            LOG.debug("Demo app: tool call failed", failed);
            session.failed("The gateway refused the call: " + failed.getMessage(), clock.instant());
        }
        Web.json(response, 200, session.view());
    }

    /** Keygate's redirect after consent: bind the session to this user, then back to the page. */
    private void consentReturn(HttpServletRequest request, HttpServletResponse response) throws IOException {
        AgentSession session = session(request, response);
        String sessionUri = Web.parameters(request).get("session_id");
        AgentSession.User user = session.user();
        if (user == null || sessionUri == null || !sessionUri.equals(session.sessionUri())) {
            session.failed("This consent did not start from this browser's tool call; call the tool again.", clock.instant());
        } else {
            try {
                keygate.complete(sessionUri, user.token());
                session.consented(clock.instant());
            } catch (BedrockAgentCoreException refused) {
                session.failed("Keygate refused to bind the session: " + refused.awsErrorDetails().errorMessage(),
                        clock.instant());
            }
        }
        Web.redirect(response, "/");
    }

    private void timeline(HttpServletRequest request, HttpServletResponse response) throws Exception {
        String sessionUri = session(request, response).sessionUri();
        if (sessionUri == null || keygate == null) {
            Web.json(response, 200, Map.of());
            return;
        }
        Web.send(response, 200, "application/json", keygate.inspect(sessionUri).toString());
    }

    private void asset(String path, HttpServletResponse response) throws IOException {
        String name = ASSETS.get(path);
        InputStream stream = name == null ? null : AgentApp.class.getResourceAsStream(name);
        if (stream == null) {
            Web.json(response, 404, Map.of("error", "No such page."));
            return;
        }
        try (stream) {
            String type = name.endsWith(".css") ? "text/css" : name.endsWith(".js") ? "text/javascript" : "text/html";
            Web.send(response, 200, type + "; charset=utf-8", new String(stream.readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private AgentSession session(HttpServletRequest request, HttpServletResponse response) {
        String id = Web.cookie(request, SESSION_COOKIE).filter(sessions::containsKey).orElse(null);
        if (id == null) {
            id = Hashes.random(32);
            sessions.put(id, new AgentSession());
            Web.setCookie(response, SESSION_COOKIE, id, "/");
        }
        return sessions.get(id);
    }
}
