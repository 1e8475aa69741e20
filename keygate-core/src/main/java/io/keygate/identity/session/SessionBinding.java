package io.keygate.identity.session;

import io.keygate.error.ServiceException;
import io.keygate.identity.principal.Hashes;
import io.keygate.identity.principal.UserPrincipal;
import io.keygate.oauth.jwt.ValidatedJwt;

import java.util.function.Function;

/**
 * The binding rule of {@code CompleteResourceTokenAuth}: the identifier must prove the same principal
 * that started the flow — the identical artifact, or, for a JWT-started flow, any currently valid JWT
 * from a trusted issuer with the same {@code iss} and {@code sub} (ARCHITECTURE.md, "Binding by
 * principal"). A wrong <em>kind</em> of identifier is a caller mistake and leaves the session alone; a
 * different principal means the consent belongs to someone else (security.md CF-1).
 */
final class SessionBinding {
    private SessionBinding() {
    }

    /** The verdict. */
    sealed interface Verdict permits Bound, WrongKind, OtherPrincipal {
    }

    record Bound() implements Verdict {
    }

    /** The identifier is of the other kind; {@code fix} says what to send. */
    record WrongKind(String fix) implements Verdict {
    }

    /** A valid identifier of another user; {@code why} says so without naming either user. */
    record OtherPrincipal(String why) implements Verdict {
    }

    /**
     * @param validateJwt validates a userToken for the session's workload, throwing ACCESS_DENIED when invalid
     */
    static Verdict check(AuthSession session, UserIdentifier identifier, Function<String, ValidatedJwt> validateJwt) {
        UserPrincipal originator = UserPrincipal.fromKey(session.principalKey());
        if (originator instanceof UserPrincipal.UserId userId) {
            if (identifier instanceof UserIdentifier.UserId given) {
                return given.userId().equals(userId.userId()) ? new Bound()
                        : new OtherPrincipal("userIdentifier.userId is not the user id this session was started for");
            }
            return new WrongKind("this session was started from a user id (GetWorkloadAccessTokenForUserId); send "
                    + "userIdentifier.userId with that same user id");
        }
        UserPrincipal.Jwt jwt = (UserPrincipal.Jwt) originator;
        if (identifier instanceof UserIdentifier.UserId) {
            return new WrongKind("this session was started from a JWT (GetWorkloadAccessTokenForJWT), so a user id cannot "
                    + "complete it; send userIdentifier.userToken with a JWT for that subject: behind a gateway, the "
                    + "bearer token the MCP client sent");
        }
        String token = ((UserIdentifier.UserToken) identifier).userToken();
        if (Hashes.same(Hashes.sha256(token), session.artifactHash())) {
            return new Bound();
        }
        ValidatedJwt presented;
        try {
            presented = validateJwt.apply(token);
        } catch (ServiceException invalid) {
            return new WrongKind(invalid.getMessage() + "; send a currently valid JWT for the subject that started the flow");
        }
        if (presented.issuer().equals(jwt.issuer()) && presented.subject().equals(jwt.subject())) {
            return new Bound();
        }
        return new OtherPrincipal("userIdentifier.userToken is a valid JWT but for another user than the one who started "
                + "this session");
    }

    /**
     * The binding page's check: the browser user signed in at the workload's IdP as ({@code issuer},
     * {@code subject}), verified from an ID token; only a JWT-started session can be bound this way.
     */
    static Verdict checkSignedIn(AuthSession session, String issuer, String subject) {
        if (!(UserPrincipal.fromKey(session.principalKey()) instanceof UserPrincipal.Jwt jwt)) {
            return new WrongKind("this session was started from a user id (GetWorkloadAccessTokenForUserId); the "
                    + "binding page proves users by OpenID Connect sign-in, so the application must complete it with "
                    + "userIdentifier.userId");
        }
        return jwt.issuer().equals(issuer) && jwt.subject().equals(subject) ? new Bound()
                : new OtherPrincipal("the user signed in at the identity provider is not the user who started this session");
    }
}
