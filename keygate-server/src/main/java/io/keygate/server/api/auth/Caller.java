package io.keygate.server.api.auth;

import io.keygate.access.AccessKey;

import java.util.Objects;

/**
 * The authenticated caller of an API request: the access key whose signature checked out.
 */
public record Caller(AccessKey accessKey) {
    public Caller {
        Objects.requireNonNull(accessKey, "accessKey must not be null");
    }

    public boolean isAdmin() {
        return accessKey.isAdmin();
    }
}
