package io.keygate.identity.session;

import java.util.Objects;

/**
 * Who the application says is completing a session: the AWS {@code UserIdentifier} union.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore/latest/APIReference/API_UserIdentifier.html">UserIdentifier</a>
 */
public sealed interface UserIdentifier permits UserIdentifier.UserId, UserIdentifier.UserToken {

    /** {@code userIdentifier.userId}. */
    record UserId(String userId) implements UserIdentifier {
        public UserId {
            Objects.requireNonNull(userId, "userId must not be null");
        }
    }

    /** {@code userIdentifier.userToken}: a JWT. */
    record UserToken(String userToken) implements UserIdentifier {
        public UserToken {
            Objects.requireNonNull(userToken, "userToken must not be null");
        }

        @Override
        public String toString() {
            return "UserToken[redacted]";
        }
    }
}
