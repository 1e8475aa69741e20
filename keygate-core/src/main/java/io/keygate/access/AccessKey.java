package io.keygate.access;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A Keygate access key: the id callers sign SigV4 requests with (its secret is sealed beside it).
 * An {@code ADMIN} key may call everything; a {@code WORKLOAD} key only the data plane, and only for
 * the workload identities it names.
 */
public record AccessKey(String accessKeyId, Role role, List<String> workloads, String description, Instant createdTime) {
    public AccessKey {
        Objects.requireNonNull(accessKeyId, "accessKeyId must not be null");
        Objects.requireNonNull(role, "role must not be null");
        workloads = workloads == null ? List.of() : List.copyOf(workloads);
    }

    /** What a key may do. */
    public enum Role {
        ADMIN, WORKLOAD
    }

    public boolean isAdmin() {
        return role == Role.ADMIN;
    }

    /** Whether this key may act for the workload identity {@code name}. */
    public boolean mayActFor(String workloadName) {
        return isAdmin() || workloads.contains(workloadName);
    }
}
