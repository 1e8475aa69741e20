package io.keygate.server.extension;

import io.keygate.access.AccessKey;
import io.keygate.access.AccessKeyService;
import io.keygate.error.Errors;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.util.List;
import java.util.Locale;

/**
 * {@code POST /keygate/v1/access-keys}: issues an admin key or a workload-scoped key. The secret is in
 * this response only.
 */
public final class CreateAccessKeyOperation
        implements Operation<CreateAccessKeyOperation.Request, CreateAccessKeyOperation.Response> {
    private final AccessKeyService accessKeys;

    public CreateAccessKeyOperation(AccessKeyService accessKeys) {
        this.accessKeys = accessKeys;
    }

    /** The request body: {@code role} ADMIN or WORKLOAD (default WORKLOAD when workloads are named). */
    public record Request(String role, List<String> workloads, String description) {
    }

    /** The new key with its secret. */
    public record Response(String accessKeyId, String secretAccessKey, String role, List<String> workloads,
                           String description) {
        @Override
        public String toString() {
            return "Response[" + accessKeyId + "]";
        }
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
    public Response execute(Request input, Caller caller) {
        AccessKey.Role role = role(input);
        var issued = accessKeys.create(role, input.workloads(), input.description());
        AccessKey key = issued.accessKey();
        return new Response(key.accessKeyId(), issued.secretAccessKey(), key.role().name(), key.workloads(),
                key.description());
    }

    private static AccessKey.Role role(Request input) {
        if (input.role() == null) {
            return input.workloads() == null || input.workloads().isEmpty() ? AccessKey.Role.ADMIN : AccessKey.Role.WORKLOAD;
        }
        try {
            return AccessKey.Role.valueOf(input.role().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Errors.invalidField("role", "must be ADMIN or WORKLOAD, got '" + input.role() + "'");
        }
    }
}
