package io.keygate.demo.app;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One browser's visit to the demo agent, held server-side behind an HttpOnly cookie: the sign-in in
 * progress, the signed-in user and their token (never sent to the page), and the story so far.
 */
final class AgentSession {
    /** Where the visitor is in the story. */
    enum Phase { SIGNED_OUT, SIGNED_IN, CONSENT_REQUIRED, CONSENTED, DONE }

    /** A step the agent took, shown on the page next to Keygate's own timeline. */
    record Step(String at, String title, String detail) {
    }

    /** The login in flight: what the callback must see again (OIDC state and nonce, the PKCE verifier). */
    record LoginAttempt(String state, String nonce, String codeVerifier) {
    }

    /** The signed-in user; {@code token} is the access token the agent presents to the gateway. */
    record User(String subject, String name, String email, String token) {
    }

    private LoginAttempt login;
    private User user;
    private Phase phase = Phase.SIGNED_OUT;
    private String consentUrl;
    private String sessionUri;
    private String result;
    private String error;
    private final List<Step> steps = new ArrayList<>();

    synchronized void beginLogin(LoginAttempt attempt) {
        login = attempt;
    }

    synchronized LoginAttempt takeLogin() {
        LoginAttempt attempt = login;
        login = null;
        return attempt;
    }

    synchronized void signedIn(User signedIn, Instant at) {
        user = signedIn;
        phase = Phase.SIGNED_IN;
        consentUrl = null;
        sessionUri = null;
        result = null;
        error = null;
        steps.clear();
        step(at, "Signed in at the Demo IdP", "as " + signedIn.name() + " (sub " + signedIn.subject()
                + "); the agent holds a JWT for the gateway");
    }

    synchronized void consentRequired(String url, String session, Instant at) {
        phase = Phase.CONSENT_REQUIRED;
        consentUrl = url;
        sessionUri = session;
        step(at, "Keygate asked for consent", "JSON-RPC error -32042 (URL elicitation): the user has not "
                + "granted the Demo Drive yet");
    }

    synchronized void consented(Instant at) {
        phase = Phase.CONSENTED;
        consentUrl = null;
        step(at, "Session bound to the user", "CompleteResourceTokenAuth with the user's JWT: the user who consented "
                + "is the user who asked");
    }

    synchronized void finished(String toolResult, Instant at) {
        phase = Phase.DONE;
        result = toolResult;
        error = null;
        step(at, "Tool result", "the Demo Drive answered with the signed-in user's own files");
    }

    synchronized void failed(String message, Instant at) {
        error = message;
        step(at, "Something went wrong", message);
    }

    synchronized void step(Instant at, String title, String detail) {
        steps.add(new Step(at.toString(), title, detail));
    }

    synchronized User user() {
        return user;
    }

    synchronized String sessionUri() {
        return sessionUri;
    }

    /** What the page may see: never the user's token. */
    synchronized Map<String, Object> view() {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("phase", phase.name());
        view.put("user", user == null ? null : Map.of("sub", user.subject(), "name", user.name(),
                "email", user.email() == null ? "" : user.email()));
        view.put("consentUrl", consentUrl);
        view.put("sessionUri", sessionUri);
        view.put("result", result);
        view.put("error", error);
        view.put("steps", List.copyOf(steps));
        return view;
    }
}
