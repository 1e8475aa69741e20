package io.keygate.server.api.control;

import io.keygate.config.Arns;
import io.keygate.identity.workload.WorkloadIdentity;

import java.time.Instant;
import java.util.List;

/** The response of Create-, Get- and UpdateWorkloadIdentity. */
record WorkloadIdentityOutput(String name, String workloadIdentityArn, List<String> allowedResourceOauth2ReturnUrls,
                              Instant createdTime, Instant lastUpdatedTime) {

    static WorkloadIdentityOutput of(WorkloadIdentity identity, Arns arns) {
        return new WorkloadIdentityOutput(identity.name(), arns.workloadIdentity(identity.name()),
                identity.allowedResourceOauth2ReturnUrls(), identity.createdTime(), identity.lastUpdatedTime());
    }
}
