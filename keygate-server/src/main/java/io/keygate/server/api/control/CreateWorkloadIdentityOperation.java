package io.keygate.server.api.control;

import io.keygate.config.Arns;
import io.keygate.identity.workload.WorkloadIdentityService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.util.List;
import java.util.Map;

/**
 * {@code POST /identities/CreateWorkloadIdentity} → 201.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_CreateWorkloadIdentity.html">CreateWorkloadIdentity</a>
 */
public final class CreateWorkloadIdentityOperation
        implements Operation<CreateWorkloadIdentityOperation.Request, WorkloadIdentityOutput> {
    private final WorkloadIdentityService workloads;
    private final Arns arns;

    public CreateWorkloadIdentityOperation(WorkloadIdentityService workloads, Arns arns) {
        this.workloads = workloads;
        this.arns = arns;
    }

    /** The request body. */
    public record Request(String name, List<String> allowedResourceOauth2ReturnUrls, Map<String, String> tags) {
    }

    @Override
    public Class<Request> inputType() {
        return Request.class;
    }

    @Override
    public int successStatus() {
        return 201;
    }

    @Override
    public WorkloadIdentityOutput execute(Request input, Caller caller) {
        return WorkloadIdentityOutput.of(workloads.create(input.name(), input.allowedResourceOauth2ReturnUrls(),
                input.tags()), arns);
    }
}
