package io.keygate.identity.principal;

import java.util.Objects;

/**
 * The user a workload acts for, as a workload access token binds it. The two kinds are separate
 * vault namespaces, as in AgentCore: a grant made for {@code user-id:alice} is not visible to
 * {@code jwt:https://idp|alice}.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/get-workload-access-token.html">Workload access tokens</a>
 */
public sealed interface UserPrincipal permits UserPrincipal.UserId, UserPrincipal.Jwt {

    /** {@code user-id} or {@code jwt}. */
    String kind();

    /** The vault key part: {@code user-id:{id}} or {@code jwt:{iss}|{sub}}. */
    String key();

    /** A user named by the caller ({@code GetWorkloadAccessTokenForUserId}). */
    record UserId(String userId) implements UserPrincipal {
        public UserId {
            Objects.requireNonNull(userId, "userId must not be null");
        }

        @Override
        public String kind() {
            return "user-id";
        }

        @Override
        public String key() {
            return "user-id:" + userId;
        }
    }

    /** A user proven by a JWT from a trusted issuer ({@code GetWorkloadAccessTokenForJWT}). */
    record Jwt(String issuer, String subject) implements UserPrincipal {
        public Jwt {
            Objects.requireNonNull(issuer, "issuer must not be null");
            Objects.requireNonNull(subject, "subject must not be null");
        }

        @Override
        public String kind() {
            return "jwt";
        }

        @Override
        public String key() {
            return "jwt:" + issuer + "|" + subject;
        }
    }

    /** Parses {@link #key()}. */
    static UserPrincipal fromKey(String key) {
        if (key.startsWith("user-id:")) {
            return new UserId(key.substring("user-id:".length()));
        }
        if (key.startsWith("jwt:") && key.indexOf('|') > 4) {
            int bar = key.lastIndexOf('|');
            return new Jwt(key.substring(4, bar), key.substring(bar + 1));
        }
        throw new IllegalArgumentException("not a principal key");
    }
}
