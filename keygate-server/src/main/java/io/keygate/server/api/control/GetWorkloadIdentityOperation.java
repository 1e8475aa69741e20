package io.keygate.server.api.control;

import io.keygate.config.Arns;
import io.keygate.identity.workload.WorkloadIdentityService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

/**
 * {@code POST /identities/GetWorkloadIdentity}.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_GetWorkloadIdentity.html">GetWorkloadIdentity</a>
 */
public final class GetWorkloadIdentityOperation implements Operation<NameRequest, WorkloadIdentityOutput> {
    private final WorkloadIdentityService workloads;
    private final Arns arns;

    public GetWorkloadIdentityOperation(WorkloadIdentityService workloads, Arns arns) {
        this.workloads = workloads;
        this.arns = arns;
    }

    @Override
    public Class<NameRequest> inputType() {
        return NameRequest.class;
    }

    @Override
    public WorkloadIdentityOutput execute(NameRequest input, Caller caller) {
        return WorkloadIdentityOutput.of(workloads.get(input.name()), arns);
    }
}
