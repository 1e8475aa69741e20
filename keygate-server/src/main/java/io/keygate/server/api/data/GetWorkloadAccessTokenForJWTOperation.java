package io.keygate.server.api.data;

import io.keygate.identity.token.WorkloadAccessTokenService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

/**
 * {@code POST /identities/GetWorkloadAccessTokenForJWT}: the user is proven by a JWT from a trusted issuer.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore/latest/APIReference/API_GetWorkloadAccessTokenForJWT.html">GetWorkloadAccessTokenForJWT</a>
 */
public final class GetWorkloadAccessTokenForJWTOperation
        implements Operation<GetWorkloadAccessTokenForJWTOperation.Request, WorkloadAccessTokenOutput> {
    private final WorkloadAccessTokenService tokens;

    public GetWorkloadAccessTokenForJWTOperation(WorkloadAccessTokenService tokens) {
        this.tokens = tokens;
    }

    /** The request body. */
    public record Request(String workloadName, String userToken) {
        @Override
        public String toString() {
            return "Request[" + workloadName + "]";
        }
    }

    @Override
    public Class<Request> inputType() {
        return Request.class;
    }

    @Override
    public WorkloadAccessTokenOutput execute(Request input, Caller caller) {
        return new WorkloadAccessTokenOutput(tokens.forJwt(caller.accessKey(), input.workloadName(), input.userToken()));
    }
}
