package io.keygate.server.api.control;

import io.keygate.config.Arns;
import io.keygate.identity.workload.WorkloadIdentityService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.util.List;

/**
 * {@code POST /identities/UpdateWorkloadIdentity}: replaces the return-URL list.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_UpdateWorkloadIdentity.html">UpdateWorkloadIdentity</a>
 */
public final class UpdateWorkloadIdentityOperation
        implements Operation<UpdateWorkloadIdentityOperation.Request, WorkloadIdentityOutput> {
    private final WorkloadIdentityService workloads;
    private final Arns arns;

    public UpdateWorkloadIdentityOperation(WorkloadIdentityService workloads, Arns arns) {
        this.workloads = workloads;
        this.arns = arns;
    }

    /** The request body. */
    public record Request(String name, List<String> allowedResourceOauth2ReturnUrls) {
    }

    @Override
    public Class<Request> inputType() {
        return Request.class;
    }

    @Override
    public WorkloadIdentityOutput execute(Request input, Caller caller) {
        return WorkloadIdentityOutput.of(workloads.update(input.name(), input.allowedResourceOauth2ReturnUrls()), arns);
    }
}
