package io.keygate.identity.binding;

import io.keygate.audit.AuditLog;
import io.keygate.error.ServiceException;
import io.keygate.identity.principal.Hashes;
import io.keygate.identity.session.AuthSession;
import io.keygate.identity.session.AuthSessionStatus;
import io.keygate.identity.session.AuthSessions;
import io.keygate.identity.session.FrontChannelResult;
import io.keygate.identity.session.SessionCompletion;
import io.keygate.identity.workload.BindingLogin;
import io.keygate.identity.workload.WorkloadIdentity;
import io.keygate.identity.workload.WorkloadIdentityService;
import io.keygate.oauth.OAuthClient;
import io.keygate.oauth.jwt.JwtValidator;
import io.keygate.store.SealedDocuments.Versioned;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Keygate's built-in session binding (a Keygate extension), for teams without a callback service: a
 * workload names {@code {public-url}/identities/oauth2/bind} as its return URL and configures a
 * {@link BindingLogin}. After consent, {@link #start} sends the browser to sign in at the IdP that issues
 * the workload's user JWTs; {@link #finish} completes the session only when the signed-in
 * {@code iss}+{@code sub} is the session's originator, and otherwise stores nothing (security.md CF-1,
 * TV-8). Each sign-in attempt is single-use, expires, and is tied to the browser that started it by a
 * cookie whose value only that browser holds (CF-2).
 */
public final class BindingPage {
    /** The binding page: the return URL a workload names. */
    public static final String PATH = "/identities/oauth2/bind";
    /** The redirect URI of the sign-in client, to register at the IdP. */
    public static final String CALLBACK_PATH = PATH + "/callback";

    private final AuthSessions sessions;
    private final BindingAttempts attempts;
    private final WorkloadIdentityService workloads;
    private final BindingSignIn signIn;
    private final SessionCompletion completion;
    private final AuditLog audit;
    private final Supplier<URI> publicUrl;
    private final Clock clock;
    private final Duration attemptTtl;

    public BindingPage(AuthSessions sessions, BindingAttempts attempts, WorkloadIdentityService workloads,
                       OAuthClient oauth, JwtValidator jwtValidator,
                       SessionCompletion completion, AuditLog audit, Supplier<URI> publicUrl, Clock clock,
                       Duration attemptTtl) {
        this.sessions = Objects.requireNonNull(sessions, "sessions must not be null");
        this.attempts = Objects.requireNonNull(attempts, "attempts must not be null");
        this.workloads = Objects.requireNonNull(workloads, "workloads must not be null");
        this.signIn = new BindingSignIn(oauth, jwtValidator);
        this.completion = Objects.requireNonNull(completion, "completion must not be null");
        this.audit = Objects.requireNonNull(audit, "audit must not be null");
        this.publicUrl = Objects.requireNonNull(publicUrl, "publicUrl must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.attemptTtl = Objects.requireNonNull(attemptTtl, "attemptTtl must not be null");
    }

    /**
     * What {@link #start} answers: the redirect to the IdP with the value of the cookie that ties the attempt
     * to this browser, or a page (then {@code browserKey} is null).
     */
    public record Started(FrontChannelResult result, String browserKey) {
        @Override
        public String toString() {
            return "Started[" + result + "]";
        }
    }

    /** {@code GET /identities/oauth2/bind?session_id=…}: where Keygate's callback sends the browser after consent. */
    public Started start(String sessionUri) {
        if (sessionUri == null || sessionUri.isEmpty()) {
            return new Started(BindingPages.incomplete(), null);
        }
        // the document only: the page never needs the session's sealed secrets (tokens, once they are held)
        Optional<AuthSession> found = sessionUri.length() > 1024 ? Optional.empty() : sessions.inspect(sessionUri);
        if (found.isEmpty()) {
            return new Started(BindingPages.unknownSession(), null);
        }
        AuthSession session = found.get();
        Optional<FrontChannelResult.Page> refusal = refusal(session);
        if (refusal.isPresent()) {
            return new Started(refusal.get(), null);
        }
        BindingLogin login = workloads.find(session.workload()).map(WorkloadIdentity::bindingLogin).orElse(null);
        if (login == null) {
            return new Started(BindingPages.notConfigured(session.workload()), null);
        }
        String state = Hashes.random(32);
        String browserKey = Hashes.random(32);
        BindingAttempts.AttemptSecrets secrets = new BindingAttempts.AttemptSecrets(sessionUri, Hashes.random(48),
                Hashes.random(24));
        Instant now = clock.instant();
        attempts.create(state, new BindingAttempts.Attempt(session.workload(), Hashes.sha256(browserKey),
                now, now.plus(attemptTtl), false), secrets);
        audit.record("binding-sign-in-started", session.workload(), session.provider(), session.principalKind(), null);
        URI request = signIn.authenticationRequest(login, callbackUrl(), state, secrets.codeVerifier(), secrets.nonce());
        return new Started(new FrontChannelResult.Redirect(request.toString()), browserKey);
    }

    /** How long the browser cookie lives: as long as an attempt. */
    public Duration attemptTtl() {
        return attemptTtl;
    }

    /** The binding page's URL, a workload's return URL. */
    public String pageUrl() {
        return publicUrl.get() + PATH;
    }

    /** The sign-in client's redirect URI, from the configured public URL, never from request headers (CF-8). */
    public URI callbackUrl() {
        return URI.create(publicUrl.get() + CALLBACK_PATH);
    }

    private Optional<FrontChannelResult.Page> refusal(AuthSession session) {
        if (!pageUrl().equals(session.returnUrl())) {
            return Optional.of(BindingPages.notForBindingPage());
        }
        if (session.isExpired(clock.instant())) {
            return Optional.of(BindingPages.expired());
        }
        if (!"jwt".equals(session.principalKind())) {
            return Optional.of(BindingPages.startedForUserId());
        }
        return switch (session.status()) {
            case TOKENS_HELD -> Optional.empty();
            case COMPLETED -> Optional.of(BindingPages.alreadyConnected());
            case FAILED -> Optional.of(session.failure() != null && session.failure().equals("USER_MISMATCH")
                    ? BindingPages.otherUser() : BindingPages.failed(session.failure()));
            default -> Optional.of(BindingPages.consentNotFinished());
        };
    }

    /** What {@link #finish} answers, and whether the attempt ended (then the browser's cookie is cleared). */
    public record Finished(FrontChannelResult result, boolean attemptEnded) {
    }

    /**
     * {@code GET /identities/oauth2/bind/callback}: the IdP's answer to the sign-in. {@code browserKey} is the
     * cookie the browser sent, or null. Answers that do not belong to this browser's attempt leave it usable.
     */
    public Finished finish(Map<String, String> parameters, String browserKey) {
        String state = parameters.get("state");
        Optional<Versioned<BindingAttempts.Attempt, BindingAttempts.AttemptSecrets>> found =
                state == null || state.isEmpty() || state.length() > 512 ? Optional.empty() : attempts.findByState(state);
        if (found.isEmpty()) {
            return new Finished(BindingPages.unknownAttempt(), false);
        }
        Versioned<BindingAttempts.Attempt, BindingAttempts.AttemptSecrets> attempt = found.get();
        if (attempt.document().used()) {
            return new Finished(BindingPages.attemptUsed(), false);
        }
        if (browserKey == null || !Hashes.same(Hashes.sha256(browserKey), attempt.document().browserHash())) {
            record(attempt.document(), "OTHER_BROWSER");
            return new Finished(BindingPages.otherBrowser(), false);
        }
        if (!attempts.consume(attempt)) {
            return new Finished(BindingPages.attemptUsed(), false);
        }
        return new Finished(signInAndComplete(attempt, parameters), true);
    }

    private FrontChannelResult signInAndComplete(Versioned<BindingAttempts.Attempt, BindingAttempts.AttemptSecrets> attempt,
                                                 Map<String, String> parameters) {
        if (!clock.instant().isBefore(attempt.document().expiresTime())) {
            record(attempt.document(), "ATTEMPT_EXPIRED");
            return BindingPages.expired();
        }
        String workload = attempt.document().workload();
        BindingLogin login = workloads.find(workload).map(WorkloadIdentity::bindingLogin).orElse(null);
        if (login == null) {
            return BindingPages.notConfigured(workload);
        }
        BindingSignIn.Outcome outcome = signIn.finish(login, workloads.bindingLoginSecret(workload).orElse(null),
                callbackUrl(), parameters, attempt.secrets());
        if (outcome instanceof BindingSignIn.Refused refused) {
            record(attempt.document(), refused.reason());
            return refused.page();
        }
        return complete(attempt.secrets().sessionUri(), (BindingSignIn.SignedIn) outcome);
    }

    private FrontChannelResult complete(String sessionUri, BindingSignIn.SignedIn user) {
        try {
            completion.completeForSignedInUser(sessionUri, user.issuer(), user.subject());
        } catch (ServiceException refused) {
            String reason = refused.reason() == null ? "" : refused.reason();
            return switch (reason) {
                case "USER_MISMATCH" -> BindingPages.otherUser();
                case "SESSION_EXPIRED" -> BindingPages.expired();
                case "ALREADY_COMPLETED" -> BindingPages.alreadyConnected();
                case "" -> throw refused;
                default -> BindingPages.failed(reason);
            };
        }
        return BindingPages.connected(sessions.inspect(sessionUri).map(AuthSession::provider).orElse("the provider"));
    }

    private void record(BindingAttempts.Attempt attempt, String outcome) {
        audit.record("binding-sign-in-refused", attempt.workload(), null, "jwt", outcome);
    }

    /** Deletes expired sign-in attempts (the housekeeping sweep); a late answer then finds none. */
    public int sweepExpired() {
        return attempts.sweep(clock.instant());
    }
}
