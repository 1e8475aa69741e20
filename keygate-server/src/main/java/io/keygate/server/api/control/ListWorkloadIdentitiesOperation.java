package io.keygate.server.api.control;

import io.keygate.config.Arns;
import io.keygate.identity.workload.WorkloadIdentityService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.util.List;

/**
 * {@code POST /identities/ListWorkloadIdentities}, 1–20 per page.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_ListWorkloadIdentities.html">ListWorkloadIdentities</a>
 */
public final class ListWorkloadIdentitiesOperation
        implements Operation<ListRequest, ListWorkloadIdentitiesOperation.Response> {
    private final WorkloadIdentityService workloads;
    private final Arns arns;

    public ListWorkloadIdentitiesOperation(WorkloadIdentityService workloads, Arns arns) {
        this.workloads = workloads;
        this.arns = arns;
    }

    /** One list entry. */
    public record Item(String name, String workloadIdentityArn) {
    }

    /** The response body. */
    public record Response(List<Item> workloadIdentities, String nextToken) {
    }

    @Override
    public Class<ListRequest> inputType() {
        return ListRequest.class;
    }

    @Override
    public Response execute(ListRequest input, Caller caller) {
        var page = workloads.list(input.nextToken(), input.maxResults());
        return new Response(page.items().stream()
                .map(identity -> new Item(identity.name(), arns.workloadIdentity(identity.name()))).toList(),
                page.nextToken());
    }
}
