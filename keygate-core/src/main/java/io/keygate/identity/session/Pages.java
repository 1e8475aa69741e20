package io.keygate.identity.session;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/** The pages the front channel shows when it cannot go on, and the return-URL redirect it builds. */
final class Pages {
    private Pages() {
    }

    /** Why a session's authorization link may not be opened (any more), or empty when it may. */
    static Optional<FrontChannelResult> refusalForAuthorize(AuthSession session, Instant now) {
        if (session.isExpired(now)) {
            return Optional.of(expired(session));
        }
        return switch (session.status()) {
            case CREATED, AUTHORIZATION_OPENED -> Optional.empty();
            case EXCHANGING, TOKENS_HELD, COMPLETED -> Optional.of(new FrontChannelResult.Page(409,
                    "This authorization link was already used",
                    "Consent for this link was already given. You can close this page; if the application still waits, "
                            + "go back to it."));
            case FAILED -> Optional.of(failed(session));
        };
    }

    static FrontChannelResult.Page expired(AuthSession session) {
        return new FrontChannelResult.Page(410, "This authorization link has expired",
                "It was valid until " + session.expiresTime() + ". Go back to the application and start again.");
    }

    static FrontChannelResult.Page failed(AuthSession session) {
        String why = session.idpError() != null
                ? "The identity provider answered '" + session.idpError() + "'."
                : "Reason: " + session.failure() + ".";
        return new FrontChannelResult.Page(410, "This authorization did not succeed",
                why + " Go back to the application and start again.");
    }

    static FrontChannelResult.Page refused(int status, String title, String message) {
        return new FrontChannelResult.Page(status, title, message);
    }

    /** The application's return URL with {@code session_id} (and {@code state} when the app gave customState). */
    static FrontChannelResult.Redirect backToApplication(AuthSession session, SessionSecrets secrets) {
        StringBuilder location = new StringBuilder(session.returnUrl());
        location.append(session.returnUrl().contains("?") ? '&' : '?')
                .append("session_id=").append(URLEncoder.encode(secrets.sessionUri(), StandardCharsets.UTF_8));
        if (secrets.customState() != null) {
            location.append("&state=").append(URLEncoder.encode(secrets.customState(), StandardCharsets.UTF_8));
        }
        return new FrontChannelResult.Redirect(location.toString());
    }
}
