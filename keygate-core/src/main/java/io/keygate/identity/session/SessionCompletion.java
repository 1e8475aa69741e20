package io.keygate.identity.session;

import io.keygate.access.AccessKey;
import io.keygate.audit.AuditLog;
import io.keygate.error.ErrorCode;
import io.keygate.error.ServiceException;
import io.keygate.error.Validation;
import io.keygate.identity.token.WorkloadAccessTokenService;
import io.keygate.identity.vault.UserTokenVault;
import io.keygate.identity.workload.WorkloadIdentity;
import io.keygate.identity.workload.WorkloadIdentityService;
import io.keygate.store.ResourceWrite;
import io.keygate.store.SealedDocuments.Versioned;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code CompleteResourceTokenAuth}: binds a session's tokens to the user who started it. On success
 * the tokens move into the vault and the session becomes COMPLETED in one commit. Every refusal keeps
 * AWS's {@code AccessDeniedException: Invalid or expired session} and adds a {@link CompletionReason}
 * and the fix; each attempt is on the session's timeline and in the audit log. After the commit, the
 * registered {@link Listener}s hear of it (a gateway target waiting for its administrator's consent
 * lists its tools then).
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore/latest/APIReference/API_CompleteResourceTokenAuth.html">CompleteResourceTokenAuth</a>
 */
public final class SessionCompletion {
    private static final Logger LOG = LoggerFactory.getLogger(SessionCompletion.class);
    static final String PREFIX = "Invalid or expired session: ";
    private static final Pattern SESSION_URI = Pattern.compile("urn:ietf:params:oauth:request_uri:[a-zA-Z0-9-._~]+");

    private final AuthSessions sessions;
    private final UserTokenVault vault;
    private final WorkloadIdentityService workloads;
    private final WorkloadAccessTokenService tokens;
    private final AuditLog audit;
    private final Clock clock;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /** Hears of each completed session, after its commit, on the completing request's thread. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param session the session as completed; its tokens are in the vault under its workload,
         *                principal and provider
         */
        void completed(AuthSession session);
    }

    public SessionCompletion(AuthSessions sessions, UserTokenVault vault, WorkloadIdentityService workloads,
                             WorkloadAccessTokenService tokens, AuditLog audit, Clock clock) {
        this.sessions = Objects.requireNonNull(sessions, "sessions must not be null");
        this.vault = Objects.requireNonNull(vault, "vault must not be null");
        this.workloads = Objects.requireNonNull(workloads, "workloads must not be null");
        this.tokens = Objects.requireNonNull(tokens, "tokens must not be null");
        this.audit = Objects.requireNonNull(audit, "audit must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    /** Registers a listener; a listener that throws is logged and does not undo or fail the completion. */
    public void onCompleted(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
    }

    public void complete(AccessKey caller, String sessionUri, UserIdentifier identifier) {
        new Validation().required("sessionUri", sessionUri, 1, 1024, SESSION_URI).throwIfInvalid();
        if (identifier == null) {
            new Validation().problem("userIdentifier", "give exactly one of userId or userToken").throwIfInvalid();
        }
        completeWith(sessionUri, caller::mayActFor, (session, workload) -> SessionBinding.check(session, identifier,
                token -> tokens.validateUserToken(workload, token, "userIdentifier.userToken")));
    }

    /**
     * Keygate's binding page: completes the session for the browser user who signed in at the workload's
     * IdP as ({@code issuer}, {@code subject}) — verified by the caller from an ID token — with the same
     * rules and refusals as {@link #complete}: another user fails the session and stores nothing.
     */
    public void completeForSignedInUser(String sessionUri, String issuer, String subject) {
        completeWith(sessionUri, workload -> true, (session, workload) ->
                SessionBinding.checkSignedIn(session, issuer, subject));
    }

    private void completeWith(String sessionUri, Predicate<String> mayActFor,
                              BiFunction<AuthSession, WorkloadIdentity, SessionBinding.Verdict> binding) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Optional<Versioned<AuthSession, SessionSecrets>> found = sessions.findByUri(sessionUri);
            if (found.isEmpty() || !mayActFor.test(found.get().document().workload())) {
                audit.record("completion-attempt", null, null, null, CompletionReason.SESSION_NOT_FOUND.name());
                throw denied(CompletionReason.SESSION_NOT_FOUND, "no session has this sessionUri for a workload your "
                        + "access key may act for; pass the session_id value from the return URL exactly as received "
                        + "(it starts with urn:ietf:params:oauth:request_uri:)");
            }
            if (attemptOnce(found.get(), binding)) {
                return;
            }
        }
        throw new ServiceException(ErrorCode.CONCURRENT_MODIFICATION,
                "The session changed while completing it; retry CompleteResourceTokenAuth");
    }

    /** Returns true on success, false when the session changed meanwhile (retry); throws on refusal. */
    private boolean attemptOnce(Versioned<AuthSession, SessionSecrets> stored,
                                BiFunction<AuthSession, WorkloadIdentity, SessionBinding.Verdict> binding) {
        AuthSession session = stored.document();
        Instant now = clock.instant();
        refuseUnlessTokensHeld(stored, now);
        WorkloadIdentity workload = workloads.find(session.workload()).orElse(null);
        if (workload == null || !workload.allowedResourceOauth2ReturnUrls().contains(session.returnUrl())) {
            throw refuse(stored, CompletionReason.WORKLOAD_NOT_PERMITTED, "workload identity '" + session.workload()
                    + "' was deleted or no longer allows the return URL of this session; start a new session");
        }
        SessionBinding.Verdict verdict = binding.apply(session, workload);
        if (verdict instanceof SessionBinding.WrongKind wrongKind) {
            throw refuse(stored, CompletionReason.USER_MISMATCH, wrongKind.fix());
        }
        if (verdict instanceof SessionBinding.OtherPrincipal other) {
            sessions.save(stored, session.failed(now, CompletionReason.USER_MISMATCH.name(), null,
                    "consent completed by another user"), stored.secrets().withoutTokens());
            audit.record("completion-attempt", session.workload(), session.provider(), session.principalKind(),
                    CompletionReason.USER_MISMATCH.name());
            throw denied(CompletionReason.USER_MISMATCH, other.why() + "; nothing was stored and the session is closed: "
                    + "the user who started the flow must consent and complete it with their own identity");
        }
        return bind(stored, now);
    }

    private boolean bind(Versioned<AuthSession, SessionSecrets> stored, Instant now) {
        AuthSession session = stored.document();
        SessionSecrets secrets = stored.secrets();
        ResourceWrite vaultWrite = vault.storeWrite(session.workload(), session.principalKey(), session.provider(),
                secrets.grantedScope() != null ? Arrays.asList(secrets.grantedScope().split(" ")) : session.scopes(),
                secrets.accessToken(), secrets.refreshToken(), secrets.accessTokenExpiresAt());
        AuthSession completed = session.with(AuthSessionStatus.COMPLETED, now, "completed", null);
        ResourceWrite sessionWrite = sessions.update(stored, completed, secrets.withoutTokens());
        if (!sessions.commit(sessionWrite, vaultWrite)) {
            return false;
        }
        audit.record("completion-attempt", session.workload(), session.provider(), session.principalKind(), null);
        notifyListeners(completed);
        return true;
    }

    private void notifyListeners(AuthSession completed) {
        for (Listener listener : listeners) {
            try {
                listener.completed(completed);
            } catch (RuntimeException failure) {
                LOG.warn("A completion listener failed for a session of workload {}: {}", completed.workload(),
                        failure.toString());
            }
        }
    }

    private void refuseUnlessTokensHeld(Versioned<AuthSession, SessionSecrets> stored, Instant now) {
        AuthSession session = stored.document();
        switch (session.status()) {
            case COMPLETED -> throw refuse(stored, CompletionReason.ALREADY_COMPLETED, "this session was completed at "
                    + session.completedTime() + "; the token is in the vault: call GetResourceOauth2Token");
            case FAILED -> throw refuse(stored, failureReason(session), failureFix(session));
            default -> {
            }
        }
        if (session.isExpired(now)) {
            throw refuse(stored, CompletionReason.SESSION_EXPIRED, "the session expired at " + session.expiresTime()
                    + "; start a new one with GetResourceOauth2Token and complete it within its lifetime");
        }
        if (session.status() != AuthSessionStatus.TOKENS_HELD) {
            throw refuse(stored, CompletionReason.CONSENT_NOT_FINISHED, "the user has not finished consent: "
                    + (session.status() == AuthSessionStatus.CREATED ? "the authorization URL was never opened"
                    : "the identity provider has not redirected back to Keygate's callback yet")
                    + "; call CompleteResourceTokenAuth from the return URL, after the redirect");
        }
    }

    private static CompletionReason failureReason(AuthSession session) {
        return CompletionReason.USER_MISMATCH.name().equals(session.failure()) ? CompletionReason.USER_MISMATCH
                : CompletionReason.SESSION_EXPIRED.name().equals(session.failure()) ? CompletionReason.SESSION_EXPIRED
                : CompletionReason.AUTHORIZATION_FAILED;
    }

    private static String failureFix(AuthSession session) {
        if (session.idpError() != null) {
            return "the identity provider answered '" + session.idpError() + "'; start a new session";
        }
        return "the session failed (" + session.failure() + "); start a new session with GetResourceOauth2Token";
    }

    private ServiceException refuse(Versioned<AuthSession, SessionSecrets> stored, CompletionReason reason, String fix) {
        AuthSession session = stored.document();
        sessions.save(stored, session.noted(clock.instant(), "completion-attempt", reason.name()), stored.secrets());
        audit.record("completion-attempt", session.workload(), session.provider(), session.principalKind(), reason.name());
        return denied(reason, fix);
    }

    static ServiceException denied(CompletionReason reason, String fix) {
        return new ServiceException(ErrorCode.ACCESS_DENIED, PREFIX + reason.name() + " - " + fix, reason.name(),
                null, null, null);
    }
}
