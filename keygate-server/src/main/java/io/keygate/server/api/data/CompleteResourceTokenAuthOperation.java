package io.keygate.server.api.data;

import io.keygate.error.Errors;
import io.keygate.identity.session.SessionCompletion;
import io.keygate.identity.session.UserIdentifier;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.util.Map;

/**
 * {@code POST /identities/CompleteResourceTokenAuth} → {@code {}}: binds a consent session to its user.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore/latest/APIReference/API_CompleteResourceTokenAuth.html">CompleteResourceTokenAuth</a>
 */
public final class CompleteResourceTokenAuthOperation
        implements Operation<CompleteResourceTokenAuthOperation.Request, Map<String, Object>> {
    private final SessionCompletion completion;

    public CompleteResourceTokenAuthOperation(SessionCompletion completion) {
        this.completion = completion;
    }

    /** The request body; {@code userIdentifier} is the union {@code {userId}} | {@code {userToken}}. */
    public record Request(Identifier userIdentifier, String sessionUri) {
    }

    /** The AWS {@code UserIdentifier} union as sent. */
    public record Identifier(String userId, String userToken) {
        @Override
        public String toString() {
            return "Identifier[" + (userId != null ? "userId" : "userToken") + "]";
        }
    }

    @Override
    public Class<Request> inputType() {
        return Request.class;
    }

    @Override
    public Map<String, Object> execute(Request input, Caller caller) {
        completion.complete(caller.accessKey(), input.sessionUri(), identifier(input.userIdentifier()));
        return Map.of();
    }

    private static UserIdentifier identifier(Identifier given) {
        if (given == null || (given.userId() == null) == (given.userToken() == null)) {
            throw Errors.invalidField("userIdentifier", "must hold exactly one of userId or userToken");
        }
        return given.userId() != null ? new UserIdentifier.UserId(given.userId())
                : new UserIdentifier.UserToken(given.userToken());
    }
}
