package io.keygate.identity.session;

import com.nimbusds.oauth2.sdk.AuthorizationRequest;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import io.keygate.audit.AuditLog;
import io.keygate.fault.FaultPoints;
import io.keygate.identity.provider.Oauth2CredentialProvider;
import io.keygate.identity.provider.Oauth2CredentialProviderService;
import io.keygate.store.SealedDocuments.Versioned;

import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The browser side of 3LO. {@link #authorize} sends the user to the IdP (code + PKCE S256 + state +
 * nonce) and may be called again until the callback arrives; {@link CallbackHandler} takes the IdP's
 * answer. Every refusal is a page that says why and what to do.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1">RFC 6749 §4.1.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7636">RFC 7636</a>
 */
public final class AuthorizationFrontChannel {
    private final AuthSessions sessions;
    private final Oauth2CredentialProviderService providers;
    private final AuditLog audit;
    private final Supplier<URI> publicUrl;
    private final Clock clock;
    private final FaultPoints faults;

    public AuthorizationFrontChannel(AuthSessions sessions, Oauth2CredentialProviderService providers, AuditLog audit,
                                     Supplier<URI> publicUrl, Clock clock, FaultPoints faults) {
        this.sessions = Objects.requireNonNull(sessions, "sessions must not be null");
        this.providers = Objects.requireNonNull(providers, "providers must not be null");
        this.audit = Objects.requireNonNull(audit, "audit must not be null");
        this.publicUrl = Objects.requireNonNull(publicUrl, "publicUrl must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.faults = Objects.requireNonNull(faults, "faults must not be null");
    }

    /** {@code GET /identities/oauth2/authorize?request_uri=…}. */
    public FrontChannelResult authorize(String requestUri) {
        if (requestUri == null || !requestUri.startsWith(AuthSessions.URI_PREFIX)) {
            return new FrontChannelResult.Page(400, "This authorization link is incomplete",
                    "The link has no valid request_uri. Open the full link the application gave you, or start again there.");
        }
        Optional<Versioned<AuthSession, SessionSecrets>> found = sessions.findByUri(requestUri);
        if (found.isEmpty()) {
            return new FrontChannelResult.Page(404, "This authorization link is unknown",
                    "Keygate has no consent session for this link (it may have been cleaned up). Go back to the "
                            + "application and start again.");
        }
        Versioned<AuthSession, SessionSecrets> stored = found.get();
        AuthSession session = stored.document();
        Optional<FrontChannelResult> refusal = Pages.refusalForAuthorize(session, clock.instant());
        if (refusal.isPresent()) {
            return refusal.get();
        }
        Oauth2CredentialProvider provider = providers.find(session.provider()).orElse(null);
        if (provider == null || provider.metadata() == null || provider.metadata().authorizationEndpoint() == null) {
            return new FrontChannelResult.Page(409, "This sign-in cannot start",
                    "The credential provider '" + session.provider() + "' was deleted or has no authorization endpoint. "
                            + "Ask the administrator to fix it, then start again from the application.");
        }
        if (session.status() == AuthSessionStatus.CREATED) {
            // a lost race means another request recorded the opening first: same outcome
            sessions.save(stored, session.with(AuthSessionStatus.AUTHORIZATION_OPENED, clock.instant(),
                    "authorize-opened", null), stored.secrets());
            audit.record("authorize-opened", session.workload(), session.provider(), session.principalKind(), null);
        }
        faults.reached(FaultPoints.AUTHORIZE_REDIRECT);
        return new FrontChannelResult.Redirect(authorizationRequest(provider, session, stored.secrets()).toString());
    }

    private URI authorizationRequest(Oauth2CredentialProvider provider, AuthSession session, SessionSecrets secrets) {
        AuthorizationRequest.Builder request = new AuthorizationRequest.Builder(ResponseType.CODE,
                new ClientID(provider.clientId()))
                .endpointURI(URI.create(provider.metadata().authorizationEndpoint()))
                .redirectionURI(callbackUrl(provider))
                .state(new State(secrets.state()))
                .codeChallenge(new CodeVerifier(secrets.codeVerifier()), CodeChallengeMethod.S256);
        if (session.scopes().contains("openid")) {
            // OpenID Connect Core §3.1.2.1: nonce belongs to OIDC requests; plain OAuth servers may refuse it
            request.customParameter("nonce", secrets.nonce());
        }
        if (!session.scopes().isEmpty()) {
            request.scope(new Scope(session.scopes().toArray(String[]::new)));
        }
        if (!session.resources().isEmpty()) {
            request.resources(session.resources().stream().map(URI::create).toArray(URI[]::new));
        }
        if (!session.audiences().isEmpty()) {
            // the audience convention of Auth0, Okta and others; RFC 8707 resources are sent above
            request.customParameter("audience", session.audiences().toArray(String[]::new));
        }
        for (Map.Entry<String, String> parameter : session.customParameters().entrySet()) {
            request.customParameter(parameter.getKey(), parameter.getValue());
        }
        return request.build().toURI();
    }

    /** The redirect URI registered at the IdP: from the configured public URL, never from request headers (CF-8). */
    URI callbackUrl(Oauth2CredentialProvider provider) {
        return URI.create(publicUrl.get() + "/identities/oauth2/callback/" + provider.callbackId());
    }
}
