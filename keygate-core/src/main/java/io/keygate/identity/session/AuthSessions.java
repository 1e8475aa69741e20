package io.keygate.identity.session;

import io.keygate.identity.principal.Hashes;
import io.keygate.store.ResourceWrite;
import io.keygate.store.SealedDocuments;

import java.util.Objects;
import java.util.Optional;

/**
 * Storage of auth sessions: a session record named by the fingerprint of its sessionUri, and an
 * index record named by the fingerprint of its {@code state}, so the callback finds its session
 * without either value being stored in clear. Both are created in one commit.
 */
public final class AuthSessions {
    public static final String KIND = "auth-session";
    public static final String STATE_KIND = "auth-session-state";
    static final String URI_PREFIX = "urn:ietf:params:oauth:request_uri:";

    private final SealedDocuments<AuthSession, SessionSecrets> sessions;
    private final SealedDocuments<StateIndex, StateIndex> states;

    /** The index from a state fingerprint to its session. */
    public record StateIndex(String sessionId) {
    }

    public AuthSessions(SealedDocuments<AuthSession, SessionSecrets> sessions, SealedDocuments<StateIndex, StateIndex> states) {
        this.sessions = Objects.requireNonNull(sessions, "sessions must not be null");
        this.states = Objects.requireNonNull(states, "states must not be null");
    }

    /** A new sessionUri: the URN prefix and 256 random bits (security.md SC-3). */
    static String newSessionUri() {
        return URI_PREFIX + Hashes.random(32);
    }

    static String idOf(String sessionUri) {
        return Hashes.sha256(sessionUri);
    }

    public Optional<SealedDocuments.Versioned<AuthSession, SessionSecrets>> findByUri(String sessionUri) {
        return sessions.find(idOf(sessionUri));
    }

    public Optional<AuthSession> inspect(String sessionUri) {
        return sessions.findDocument(idOf(sessionUri));
    }

    /** The status of the session with this id (the fingerprint of its sessionUri), if it exists. */
    public Optional<AuthSessionStatus> statusOf(String sessionId) {
        return sessions.findDocument(sessionId).map(AuthSession::status);
    }

    public Optional<SealedDocuments.Versioned<AuthSession, SessionSecrets>> findByState(String state) {
        return states.findDocument(Hashes.sha256(state)).flatMap(index -> sessions.find(index.sessionId()));
    }

    void create(AuthSession session, SessionSecrets secrets) {
        if (!sessions.commit(sessions.insert(session.id(), session, secrets),
                states.insert(Hashes.sha256(secrets.state()), new StateIndex(session.id()), null))) {
            throw new IllegalStateException("a session with the same random handle exists");
        }
    }

    /** A compare-and-set write of the next state, for {@link #commit}. */
    ResourceWrite update(SealedDocuments.Versioned<AuthSession, SessionSecrets> current, AuthSession next,
                         SessionSecrets secrets) {
        return sessions.update(current, next, secrets);
    }

    /** Writes the next state if nobody changed the session meanwhile. */
    boolean save(SealedDocuments.Versioned<AuthSession, SessionSecrets> current, AuthSession next, SessionSecrets secrets) {
        return sessions.commit(update(current, next, secrets));
    }

    boolean commit(ResourceWrite... writes) {
        return sessions.commit(writes);
    }

    /** Deletes a session and its state index (the expiry sweep). */
    void delete(SealedDocuments.Versioned<AuthSession, SessionSecrets> session) {
        if (session.secrets() != null && session.secrets().state() != null) {
            states.delete(Hashes.sha256(session.secrets().state()));
        }
        sessions.delete(session.name());
    }

    java.util.List<SealedDocuments.Versioned<AuthSession, SessionSecrets>> page(String after, int limit) {
        return sessions.list(after, limit);
    }
}
