package io.keygate.server.api.data;

import io.keygate.identity.token.WorkloadAccessTokenService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

/**
 * {@code POST /identities/GetWorkloadAccessToken}: a token for the workload without a user.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore/latest/APIReference/API_GetWorkloadAccessToken.html">GetWorkloadAccessToken</a>
 */
public final class GetWorkloadAccessTokenOperation
        implements Operation<GetWorkloadAccessTokenOperation.Request, WorkloadAccessTokenOutput> {
    private final WorkloadAccessTokenService tokens;

    public GetWorkloadAccessTokenOperation(WorkloadAccessTokenService tokens) {
        this.tokens = tokens;
    }

    /** The request body. */
    public record Request(String workloadName) {
    }

    @Override
    public Class<Request> inputType() {
        return Request.class;
    }

    @Override
    public WorkloadAccessTokenOutput execute(Request input, Caller caller) {
        return new WorkloadAccessTokenOutput(tokens.forWorkload(caller.accessKey(), input.workloadName()));
    }
}
