package io.keygate.server.extension;

import io.keygate.access.AccessKeyService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

/** {@code DELETE /keygate/v1/access-keys/{accessKeyId}} → 204; the last admin key is kept. */
public final class DeleteAccessKeyOperation implements Operation<DeleteAccessKeyOperation.Request, Void> {
    private final AccessKeyService accessKeys;

    public DeleteAccessKeyOperation(AccessKeyService accessKeys) {
        this.accessKeys = accessKeys;
    }

    /** Path: {@code accessKeyId}. */
    public record Request(String accessKeyId) {
    }

    @Override
    public Class<Request> inputType() {
        return Request.class;
    }

    @Override
    public int successStatus() {
        return 204;
    }

    @Override
    public Void execute(Request input, Caller caller) {
        accessKeys.delete(input.accessKeyId());
        return null;
    }
}
