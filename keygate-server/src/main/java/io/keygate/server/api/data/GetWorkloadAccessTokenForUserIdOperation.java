package io.keygate.server.api.data;

import io.keygate.identity.token.WorkloadAccessTokenService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

/**
 * {@code POST /identities/GetWorkloadAccessTokenForUserId}: the caller vouches for the user id.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore/latest/APIReference/API_GetWorkloadAccessTokenForUserId.html">GetWorkloadAccessTokenForUserId</a>
 */
public final class GetWorkloadAccessTokenForUserIdOperation
        implements Operation<GetWorkloadAccessTokenForUserIdOperation.Request, WorkloadAccessTokenOutput> {
    private final WorkloadAccessTokenService tokens;

    public GetWorkloadAccessTokenForUserIdOperation(WorkloadAccessTokenService tokens) {
        this.tokens = tokens;
    }

    /** The request body. */
    public record Request(String workloadName, String userId) {
    }

    @Override
    public Class<Request> inputType() {
        return Request.class;
    }

    @Override
    public WorkloadAccessTokenOutput execute(Request input, Caller caller) {
        return new WorkloadAccessTokenOutput(tokens.forUserId(caller.accessKey(), input.workloadName(), input.userId()));
    }
}
