package io.keygate.identity.binding;

import io.keygate.identity.session.FrontChannelResult.Page;

/**
 * What the binding page tells the user: what happened and what to do next. No page names a token, a
 * code, a state or the session's link (security.md LG-1).
 */
final class BindingPages {
    private static final String START_AGAIN = " Start again from your agent or application.";

    private BindingPages() {
    }

    static Page connected(String provider) {
        return new Page(200, "Connected", "Your account at " + provider + " is connected. You can close this window "
                + "and go back to your agent: it can now act with this connection.");
    }

    static Page alreadyConnected() {
        return new Page(200, "Already connected", "This connection was completed before. You can close this window.");
    }

    static Page otherUser() {
        return new Page(403, "This consent belongs to another user", "You signed in as a different user than the one "
                + "who asked for this connection, so Keygate stored nothing and closed the request. If someone sent you "
                + "this link, do not use it. If the request was yours, start again from your agent and sign in with the "
                + "account your agent uses.");
    }

    static Page expired() {
        return new Page(410, "This link has expired", "The consent request is no longer valid and nothing was stored."
                + START_AGAIN);
    }

    static Page identityProviderRefused(String error) {
        return new Page(400, "The identity provider did not sign you in", "It answered '" + error + "'. Nothing was "
                + "stored." + START_AGAIN);
    }

    static Page identityProviderUnavailable() {
        return new Page(502, "The identity provider did not answer", "Keygate could not finish your sign-in. Nothing "
                + "was stored. Reload the link from your agent in a moment.");
    }

    static Page signInNotVerified(String why) {
        return new Page(400, "Your sign-in could not be verified", why + " Nothing was stored." + START_AGAIN);
    }

    static Page failed(String reason) {
        return new Page(410, "This connection did not succeed", "Reason: " + reason + ". Nothing was stored."
                + START_AGAIN);
    }

    static Page incomplete() {
        return new Page(400, "This link is incomplete", "It does not name a consent request. Open the full link, or "
                + "start again from your agent or application.");
    }

    static Page unknownSession() {
        return new Page(404, "This link is unknown", "Keygate has no consent request for it (it may have been cleaned "
                + "up)." + START_AGAIN);
    }

    static Page notForBindingPage() {
        return new Page(400, "This consent returns to an application", "It was set up to be completed by an "
                + "application at its own return URL, not by Keygate's binding page." + START_AGAIN);
    }

    static Page consentNotFinished() {
        return new Page(409, "Consent is not finished", "Open the link from your agent and give consent first.");
    }

    static Page startedForUserId() {
        return new Page(409, "This connection cannot be completed here", "It was started for a user id rather than a "
                + "signed-in user, so only the application that started it can complete it.");
    }

    static Page notConfigured(String workload) {
        return new Page(409, "Keygate cannot sign you in for this connection", "The workload identity '" + workload
                + "' has no sign-in client for the binding page. Ask the administrator to configure one "
                + "(keygate workloads bind-login), then start again from your agent.");
    }

    static Page unknownAttempt() {
        return new Page(400, "This sign-in response is unknown", "Keygate did not start this sign-in, or it was "
                + "cleaned up. Nothing was stored." + START_AGAIN);
    }

    static Page attemptUsed() {
        return new Page(409, "This sign-in response was already used", "If the connection succeeded you can close "
                + "this window; otherwise start again from your agent or application.");
    }

    static Page otherBrowser() {
        return new Page(403, "This sign-in was started in another browser", "Keygate cannot tie this sign-in to this "
                + "browser (it was started elsewhere, or the browser blocked Keygate's cookie), so it stored nothing. "
                + "Open the link from your agent in this browser and try again.");
    }

    static Page wrongIssuer() {
        return new Page(400, "This sign-in response came from the wrong issuer", "It does not name the identity "
                + "provider Keygate signed you in with (RFC 9207). Nothing was stored." + START_AGAIN);
    }
}
