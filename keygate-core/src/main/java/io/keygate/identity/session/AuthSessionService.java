package io.keygate.identity.session;

import io.keygate.audit.AuditLog;
import io.keygate.error.Errors;
import io.keygate.identity.principal.Hashes;
import io.keygate.identity.token.WorkloadAccessToken;
import io.keygate.identity.workload.WorkloadIdentity;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Starts 3LO consent sessions and reports on them when the workload polls with the sessionUri. The
 * redirect values (state, PKCE verifier, nonce) are made here, once, so the authorization URL may be
 * opened again until the callback arrives (link previews do not burn it).
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/oauth2-authorization-url-session-binding.html">Session binding</a>
 */
public final class AuthSessionService {
    private final AuthSessions sessions;
    private final AuditLog audit;
    private final Supplier<URI> publicUrl;
    private final Clock clock;
    private final Duration ttl;

    public AuthSessionService(AuthSessions sessions, AuditLog audit, Supplier<URI> publicUrl, Clock clock, Duration ttl) {
        this.sessions = Objects.requireNonNull(sessions, "sessions must not be null");
        this.audit = Objects.requireNonNull(audit, "audit must not be null");
        this.publicUrl = Objects.requireNonNull(publicUrl, "publicUrl must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.ttl = Objects.requireNonNull(ttl, "ttl must not be null");
    }

    /** What the workload is told about a session. */
    public record Started(String sessionUri, String authorizationUrl) {
    }

    /** The request details that go into a new session. */
    public record Request(String provider, List<String> scopes, String returnUrl, Map<String, String> customParameters,
                          String customState, List<String> resources, List<String> audiences) {
    }

    /** Creates a session for the WAT's workload and principal; the return URL was checked by the caller. */
    public Started start(WorkloadAccessToken token, Request request) {
        String sessionUri = AuthSessions.newSessionUri();
        Instant now = clock.instant();
        AuthSession session = new AuthSession(AuthSessions.idOf(sessionUri), token.workload(), request.provider(),
                token.principalKey(), token.artifactHash(), request.returnUrl(), request.scopes(),
                request.customParameters(), request.resources(), request.audiences(), AuthSessionStatus.CREATED, null,
                null, now, now.plus(ttl), null, List.of(new TimelineEvent(now, "created", null)));
        SessionSecrets secrets = new SessionSecrets(sessionUri, Hashes.random(32), Hashes.random(48), Hashes.random(24),
                request.customState(), null, null, null, null);
        sessions.create(session, secrets);
        audit.record("auth-session-started", session.workload(), session.provider(), session.principalKind(), null);
        return new Started(sessionUri, authorizationUrl(sessionUri));
    }

    public String authorizationUrl(String sessionUri) {
        return publicUrl.get() + "/identities/oauth2/authorize?request_uri="
                + URLEncoder.encode(sessionUri, StandardCharsets.UTF_8);
    }

    /**
     * The session a workload polls with its sessionUri; empty when there is none for this workload,
     * principal and provider (another workload's sessions are never revealed).
     */
    public Optional<AuthSession> forPolling(WorkloadAccessToken token, String provider, String sessionUri) {
        if (!sessionUri.startsWith(AuthSessions.URI_PREFIX)) {
            throw Errors.invalidField("sessionUri", "must start with " + AuthSessions.URI_PREFIX
                    + ": pass the sessionUri GetResourceOauth2Token returned, unchanged");
        }
        return sessions.inspect(sessionUri)
                .filter(session -> session.workload().equals(token.workload())
                        && session.principalKey().equals(token.principalKey())
                        && session.provider().equals(provider));
    }

    /** Whether the session has ended without a token the workload could get: failed, expired or abandoned. */
    public boolean isDead(AuthSession session) {
        Instant now = clock.instant();
        return session.status() == AuthSessionStatus.FAILED || session.isExpired(now)
                || session.isExchangeAbandoned(now);
    }

    /** The return URL to use: the one asked for, if the workload allows it exactly. */
    public static String checkReturnUrl(WorkloadIdentity workload, String requested) {
        List<String> allowed = workload.allowedResourceOauth2ReturnUrls();
        if (allowed.isEmpty()) {
            throw Errors.invalidField("resourceOauth2ReturnUrl", "You must register and use at least one "
                    + "ResourceOauth2ReturnUrl on your workload identity to use this flow: add it with "
                    + "UpdateWorkloadIdentity (allowedResourceOauth2ReturnUrls) on '" + workload.name() + "'");
        }
        if (requested == null) {
            if (allowed.size() == 1) {
                return allowed.get(0);
            }
            throw Errors.invalidField("resourceOauth2ReturnUrl", "is required because workload identity '"
                    + workload.name() + "' allows several: " + allowed);
        }
        if (!allowed.contains(requested)) {
            throw Errors.invalidField("resourceOauth2ReturnUrl", "is not one of the allowedResourceOauth2ReturnUrls of "
                    + "workload identity '" + workload.name() + "' " + allowed + "; it must match an entry exactly");
        }
        return requested;
    }
}
