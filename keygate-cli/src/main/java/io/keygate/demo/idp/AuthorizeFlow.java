package io.keygate.demo.idp;

import io.keygate.demo.Web;
import io.keygate.identity.principal.Hashes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The authorization endpoint's front channel (RFC 6749 §4.1.1, OIDC Core §3.1.2): checks the client and
 * its exact redirect URI, requires PKCE S256, then shows the login page, the consent page (third-party
 * clients), and sends the browser back with a one-minute, single-use code, {@code state} and RFC 9207
 * {@code iss}. A pending request is bound to the browser that started it by an HttpOnly cookie, so a
 * form posted from another browser (or site) finds nothing.
 */
final class AuthorizeFlow {
    static final String BROWSER_COOKIE = "keygate_demo_idp";
    private static final Duration PENDING_TTL = Duration.ofMinutes(10);
    private static final Duration CODE_TTL = Duration.ofMinutes(1);

    private record Pending(String browser, DemoIdp.Client client, URI redirectUri, String scope, String state,
                           String nonce, String challenge, Instant expires) {
    }

    /** A code waiting for the token endpoint. */
    record IssuedCode(DemoIdp.Client client, URI redirectUri, String subject, String scope, String nonce,
                      String challenge, Instant expires) {
    }

    private final DemoIdp idp;
    private final Clock clock;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Map<String, String> signedIn = new ConcurrentHashMap<>();
    private final Map<String, IssuedCode> codes = new ConcurrentHashMap<>();

    AuthorizeFlow(DemoIdp idp, Clock clock) {
        this.idp = idp;
        this.clock = clock;
    }

    void authorize(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, String> query = Web.parameters(request);
        Optional<DemoIdp.Client> client = idp.client(query.get("client_id"));
        if (client.isEmpty()) {
            Web.html(response, 400, IdpPages.error("Unknown application", "No client is registered with this client_id."));
            return;
        }
        URI redirectUri = client.get().redirectUris().stream()
                .filter(registered -> registered.toString().equals(query.get("redirect_uri"))).findFirst().orElse(null);
        if (redirectUri == null) {
            Web.html(response, 400, IdpPages.error("Unregistered redirect URI", "The redirect_uri is not the one "
                    + "registered for " + client.get().displayName() + "; the IdP never sends a code elsewhere."));
            return;
        }
        String state = query.get("state");
        String problem = requestProblem(query);
        if (problem != null) {
            Web.redirect(response, errorRedirect(redirectUri, problem, state));
            return;
        }
        String browser = Web.cookie(request, BROWSER_COOKIE).orElseGet(() -> {
            String fresh = Hashes.random(32);
            Web.setCookie(response, BROWSER_COOKIE, fresh, "/idp");
            return fresh;
        });
        Instant now = clock.instant();
        pending.values().removeIf(old -> !now.isBefore(old.expires()));
        codes.values().removeIf(old -> !now.isBefore(old.expires()));
        String id = Hashes.random(32);
        pending.put(id, new Pending(browser, client.get(), redirectUri, query.get("scope"), state, query.get("nonce"),
                query.get("code_challenge"), now.plus(PENDING_TTL)));
        next(id, response);
    }

    /** The RFC 6749 §4.1.2.1 error code for a request the IdP will not serve, or null. */
    private static String requestProblem(Map<String, String> query) {
        if (!"code".equals(query.get("response_type"))) {
            return "unsupported_response_type";
        }
        if (!"S256".equals(query.get("code_challenge_method")) || query.get("code_challenge") == null
                || query.get("code_challenge").isBlank()) {
            return "invalid_request";
        }
        String scope = query.get("scope");
        if (scope == null || !Arrays.stream(scope.split(" ")).allMatch(DemoIdp.SCOPES::contains)) {
            return "invalid_scope";
        }
        return null;
    }

    /** The login form's answer: the chosen or typed user signs in for this browser. */
    void login(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, String> form = Web.parameters(request);
        Optional<Pending> found = pendingFor(request, form.get("request"));
        if (found.isEmpty()) {
            Web.html(response, 400, IdpPages.expired());
            return;
        }
        Optional<DemoUsers.User> user = idp.users().signIn(form.get("user"), form.get("name"));
        if (user.isEmpty()) {
            Web.html(response, 200, IdpPages.login(form.get("request"), found.get().client(), idp.users().readyMade(),
                    "Type a name with at least one letter or digit, or pick one of the people above."));
            return;
        }
        signedIn.put(found.get().browser(), user.get().subject());
        next(form.get("request"), response);
    }

    /** The consent form's answer: allow issues a code, deny sends access_denied back. */
    void consent(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Map<String, String> form = Web.parameters(request);
        Optional<Pending> found = pendingFor(request, form.get("request"));
        if (found.isEmpty() || signedIn.get(found.get().browser()) == null) {
            Web.html(response, 400, IdpPages.expired());
            return;
        }
        if ("allow".equals(form.get("decision"))) {
            issueCode(form.get("request"), response);
        } else {
            pending.remove(form.get("request"));
            Web.redirect(response, errorRedirect(found.get().redirectUri(), "access_denied", found.get().state()));
        }
    }

    /** Takes a code out for the token endpoint: at most once, and only before it expires. */
    Optional<IssuedCode> redeem(String code) {
        IssuedCode issued = code == null ? null : codes.remove(code);
        return Optional.ofNullable(issued).filter(found -> clock.instant().isBefore(found.expires()));
    }

    private void next(String id, HttpServletResponse response) throws IOException {
        Pending request = pending.get(id);
        Optional<DemoUsers.User> user = idp.users().find(signedIn.get(request.browser()));
        if (user.isEmpty()) {
            Web.html(response, 200, IdpPages.login(id, request.client(), idp.users().readyMade(), null));
        } else if (!request.client().firstParty()) {
            Web.html(response, 200, IdpPages.consent(id, request.client(), user.get(), request.scope()));
        } else {
            issueCode(id, response);
        }
    }

    private void issueCode(String id, HttpServletResponse response) {
        Pending request = pending.remove(id);
        String code = Hashes.random(32);
        codes.put(code, new IssuedCode(request.client(), request.redirectUri(), signedIn.get(request.browser()),
                request.scope(), request.nonce(), request.challenge(), clock.instant().plus(CODE_TTL)));
        Web.redirect(response, request.redirectUri() + separator(request.redirectUri()) + "code=" + code
                + (request.state() == null ? "" : "&state=" + Web.encode(request.state()))
                + "&iss=" + Web.encode(idp.issuer().toString()));
    }

    private Optional<Pending> pendingFor(HttpServletRequest request, String id) {
        Optional<String> browser = Web.cookie(request, BROWSER_COOKIE);
        return Optional.ofNullable(id == null ? null : pending.get(id))
                .filter(found -> browser.isPresent() && found.browser().equals(browser.get()))
                .filter(found -> clock.instant().isBefore(found.expires()));
    }

    private String errorRedirect(URI redirectUri, String error, String state) {
        return redirectUri + separator(redirectUri) + "error=" + Web.encode(error)
                + (state == null ? "" : "&state=" + Web.encode(state)) + "&iss=" + Web.encode(idp.issuer().toString());
    }

    private static String separator(URI uri) {
        return uri.getRawQuery() == null ? "?" : "&";
    }
}
