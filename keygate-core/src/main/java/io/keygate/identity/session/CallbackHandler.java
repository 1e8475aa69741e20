package io.keygate.identity.session;

import io.keygate.audit.AuditLog;
import io.keygate.fault.FaultPoints;
import io.keygate.identity.provider.Oauth2CredentialProvider;
import io.keygate.identity.provider.Oauth2CredentialProviderService;
import io.keygate.oauth.OAuthClient;
import io.keygate.oauth.TokenError;
import io.keygate.oauth.TokenResponse;
import io.keygate.oauth.TokenSuccess;
import io.keygate.oauth.TransientTokenException;
import io.keygate.oauth.jwt.InvalidJwtException;
import io.keygate.oauth.jwt.JwtValidator;
import io.keygate.oauth.jwt.TrustedIssuer;
import io.keygate.oauth.jwt.ValidatedJwt;
import io.keygate.store.SealedDocuments.Versioned;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code GET /identities/oauth2/callback/{callbackId}}: checks {@code state} (CF-2) and the RFC 9207
 * {@code iss} (CF-5) before any token request, records an IdP {@code error=} on the session, exchanges
 * the code exactly once even when the callback arrives twice (CF-7), checks the ID token's nonce when
 * there is one (CF-4), holds the tokens sealed in the session, and sends the browser to the
 * application's return URL with {@code session_id}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9207">RFC 9207</a>
 */
public final class CallbackHandler {
    private static final Logger LOG = LoggerFactory.getLogger(CallbackHandler.class);
    private final AuthSessions sessions;
    private final Oauth2CredentialProviderService providers;
    private final OAuthClient oauth;
    private final JwtValidator jwtValidator;
    private final AuditLog audit;
    private final Supplier<URI> publicUrl;
    private final Clock clock;
    private final FaultPoints faults;

    public CallbackHandler(AuthSessions sessions, Oauth2CredentialProviderService providers, OAuthClient oauth,
                           JwtValidator jwtValidator, AuditLog audit, Supplier<URI> publicUrl, Clock clock,
                           FaultPoints faults) {
        this.sessions = Objects.requireNonNull(sessions, "sessions must not be null");
        this.providers = Objects.requireNonNull(providers, "providers must not be null");
        this.oauth = Objects.requireNonNull(oauth, "oauth must not be null");
        this.jwtValidator = Objects.requireNonNull(jwtValidator, "jwtValidator must not be null");
        this.audit = Objects.requireNonNull(audit, "audit must not be null");
        this.publicUrl = Objects.requireNonNull(publicUrl, "publicUrl must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.faults = Objects.requireNonNull(faults, "faults must not be null");
    }

    public FrontChannelResult handle(String callbackId, Map<String, String> parameters) {
        String state = parameters.get("state");
        if (state == null || state.isEmpty()) {
            return Pages.refused(400, "This sign-in response is incomplete", "The identity provider's answer carries no "
                    + "state, so Keygate cannot tell which sign-in it belongs to. Start again from the application.");
        }
        Optional<Versioned<AuthSession, SessionSecrets>> found = sessions.findByState(state);
        if (found.isEmpty()) {
            return Pages.refused(400, "This sign-in response is unknown", "Keygate did not start a sign-in with this "
                    + "state, or it was cleaned up. Start again from the application.");
        }
        Versioned<AuthSession, SessionSecrets> stored = found.get();
        Oauth2CredentialProvider provider = providers.find(stored.document().provider()).orElse(null);
        if (provider == null || !provider.callbackId().equals(callbackId)) {
            return Pages.refused(400, "This sign-in response reached the wrong callback", "It belongs to another "
                    + "credential provider's callback URL. Check the redirect URI registered at the identity provider.");
        }
        return continueSession(stored, provider, parameters);
    }

    /** Marks the session failed and shows its failure page as stored (as it was, should it be gone). */
    private FrontChannelResult failedPage(Versioned<AuthSession, SessionSecrets> stored, String reason, String idpError,
                                          String detail) {
        fail(stored, reason, idpError, detail);
        return Pages.failed(sessions.inspect(stored.secrets().sessionUri()).orElse(stored.document()));
    }

    private FrontChannelResult continueSession(Versioned<AuthSession, SessionSecrets> stored,
                                               Oauth2CredentialProvider provider, Map<String, String> parameters) {
        AuthSession session = stored.document();
        switch (session.status()) {
            case TOKENS_HELD, COMPLETED:
                return Pages.backToApplication(session, stored.secrets());
            case EXCHANGING:
                if (session.isExchangeAbandoned(clock.instant())) {
                    return failedPage(stored, "EXCHANGE_INTERRUPTED", null, "the code exchange never finished");
                }
                return awaitOtherExchange(stored.secrets());
            case FAILED:
                return Pages.failed(session);
            default:
                break;
        }
        if (session.isExpired(clock.instant())) {
            fail(stored, "SESSION_EXPIRED", null, "callback after expiry");
            return Pages.expired(session);
        }
        Optional<String> issuerProblem = issuerProblem(provider, parameters.get("iss"));
        if (issuerProblem.isPresent()) {
            fail(stored, "ISSUER_MISMATCH", null, issuerProblem.get());
            return Pages.refused(400, "This sign-in response came from the wrong issuer", issuerProblem.get()
                    + " Start again from the application.");
        }
        if (parameters.get("error") != null) {
            String error = TokenError.safeText(parameters.get("error"));
            return failedPage(stored, "AUTHORIZATION_FAILED", error, "identity provider answered " + error);
        }
        String code = parameters.get("code");
        if (code == null || code.isEmpty()) {
            fail(stored, "AUTHORIZATION_FAILED", "missing_code", "callback without code");
            return Pages.refused(400, "This sign-in response has no code", "Start again from the application.");
        }
        AuthSession exchanging = session.with(AuthSessionStatus.EXCHANGING, clock.instant(), "callback-received", null);
        if (!sessions.save(stored, exchanging, stored.secrets())) {
            return awaitOtherExchange(stored.secrets());
        }
        return exchange(sessions.findByUri(stored.secrets().sessionUri()).orElseThrow(), provider, code);
    }

    private FrontChannelResult exchange(Versioned<AuthSession, SessionSecrets> stored, Oauth2CredentialProvider provider,
                                        String code) {
        AuthSession session = stored.document();
        SessionSecrets secrets = stored.secrets();
        TokenResponse response;
        try {
            response = oauth.authorizationCode(providers.clientRegistration(provider.name()), code,
                    URI.create(publicUrl.get() + "/identities/oauth2/callback/" + provider.callbackId()),
                    secrets.codeVerifier(), session.resources());
            faults.reached(FaultPoints.CODE_EXCHANGED);
        } catch (TransientTokenException | io.keygate.net.OutboundUrlException unavailable) {
            LOG.warn("Code exchange for provider {} failed: {}", provider.name(), unavailable.getMessage());
            fail(stored, "AUTHORIZATION_FAILED", "token_endpoint_unavailable", "token endpoint unavailable");
            return Pages.refused(502, "The identity provider did not answer", "Keygate could not exchange the sign-in "
                    + "code with " + provider.name() + ". Start again from the application in a moment.");
        }
        if (response instanceof TokenError error) {
            fail(stored, "AUTHORIZATION_FAILED", TokenError.safeText(error.error()), "code exchange refused");
            return Pages.refused(400, "The identity provider refused the sign-in", "It answered '"
                    + TokenError.safeText(error.error()) + "' when Keygate exchanged the code. Start again from the application.");
        }
        TokenSuccess tokens = (TokenSuccess) response;
        Optional<String> idTokenProblem = idTokenProblem(provider, tokens.idToken(), secrets.nonce());
        if (idTokenProblem.isPresent()) {
            fail(stored, "AUTHORIZATION_FAILED", "invalid_id_token", idTokenProblem.get());
            return Pages.refused(400, "The identity provider's ID token was not valid", idTokenProblem.get());
        }
        SessionSecrets held = secrets.withTokens(tokens.accessToken(), tokens.refreshToken(), tokens.expiresAt(),
                tokens.scope());
        sessions.save(stored, session.with(AuthSessionStatus.TOKENS_HELD, clock.instant(), "code-exchanged", null), held);
        audit.record("code-exchanged", session.workload(), session.provider(), session.principalKind(), null);
        return Pages.backToApplication(session, held);
    }

    private Optional<String> issuerProblem(Oauth2CredentialProvider provider, String iss) {
        String expected = provider.metadata() == null ? null : provider.metadata().issuer();
        if (iss != null && !iss.equals(expected)) {
            return Optional.of("The response names issuer '" + TokenError.safeText(iss) + "' but this provider's issuer is '"
                    + expected + "' (RFC 9207).");
        }
        if (iss == null && provider.metadata() != null && provider.metadata().authorizationResponseIssParameterSupported()) {
            return Optional.of("The identity provider announces RFC 9207 issuer identification but the response has no iss.");
        }
        return Optional.empty();
    }

    private Optional<String> idTokenProblem(Oauth2CredentialProvider provider, String idToken, String nonce) {
        if (idToken == null || provider.metadata() == null || provider.metadata().jwksUri() == null) {
            return Optional.empty();
        }
        try {
            ValidatedJwt validated = jwtValidator.validate(idToken, List.of(new TrustedIssuer(provider.metadata().issuer(),
                    null, provider.metadata().jwksUri(), List.of(provider.clientId()), null)));
            Object claimed = validated.claims().get("nonce");
            return claimed == null || claimed.equals(nonce) ? Optional.empty()
                    : Optional.of("The ID token's nonce does not match this sign-in (OpenID Connect Core §3.1.3.7).");
        } catch (InvalidJwtException invalid) {
            return Optional.of("The ID token was rejected: " + invalid.getMessage());
        }
    }

    private void fail(Versioned<AuthSession, SessionSecrets> stored, String reason, String idpError, String detail) {
        AuthSession session = stored.document();
        sessions.save(stored, session.failed(clock.instant(), reason, idpError, detail), stored.secrets().withoutTokens());
        audit.record("auth-session-failed", session.workload(), session.provider(), session.principalKind(), reason);
    }

    /** The outcome of the concurrent callback that won the exchange: the same answer for both (CF-7). */
    private FrontChannelResult awaitOtherExchange(SessionSecrets secrets) {
        for (int i = 0; i < 100; i++) {
            Optional<Versioned<AuthSession, SessionSecrets>> current = sessions.findByUri(secrets.sessionUri());
            if (current.isPresent() && current.get().document().status() != AuthSessionStatus.EXCHANGING) {
                return current.get().document().status() == AuthSessionStatus.FAILED
                        ? Pages.failed(current.get().document())
                        : Pages.backToApplication(current.get().document(), current.get().secrets());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Pages.refused(503, "This sign-in is still being processed", "Reload this page in a moment.");
    }
}
