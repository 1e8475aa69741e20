package io.keygate.server.api;

/** Who may call a route. */
public enum Access {
    /** Admin access keys only: the control plane and the /keygate/v1 extensions. */
    ADMIN,
    /** Admin keys, and workload-scoped keys for their own workload identities (checked by the operation). */
    DATA_PLANE
}
