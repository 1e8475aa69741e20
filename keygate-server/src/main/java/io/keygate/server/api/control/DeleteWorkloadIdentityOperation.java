package io.keygate.server.api.control;

import io.keygate.identity.workload.WorkloadIdentityService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

/**
 * {@code POST /identities/DeleteWorkloadIdentity} → 204.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_DeleteWorkloadIdentity.html">DeleteWorkloadIdentity</a>
 */
public final class DeleteWorkloadIdentityOperation implements Operation<NameRequest, Void> {
    private final WorkloadIdentityService workloads;

    public DeleteWorkloadIdentityOperation(WorkloadIdentityService workloads) {
        this.workloads = workloads;
    }

    @Override
    public Class<NameRequest> inputType() {
        return NameRequest.class;
    }

    @Override
    public int successStatus() {
        return 204;
    }

    @Override
    public Void execute(NameRequest input, Caller caller) {
        workloads.delete(input.name());
        return null;
    }
}
