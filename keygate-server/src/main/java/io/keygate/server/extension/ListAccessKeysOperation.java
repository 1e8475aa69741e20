package io.keygate.server.extension;

import io.keygate.access.AccessKey;
import io.keygate.access.AccessKeyService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.time.Instant;
import java.util.List;

/** {@code GET /keygate/v1/access-keys}: every key with its scope; never a secret. */
public final class ListAccessKeysOperation
        implements Operation<ListAccessKeysOperation.Request, ListAccessKeysOperation.Response> {
    private final AccessKeyService accessKeys;

    public ListAccessKeysOperation(AccessKeyService accessKeys) {
        this.accessKeys = accessKeys;
    }

    /** Query: {@code nextToken}, {@code maxResults}. */
    public record Request(String nextToken, Integer maxResults) {
    }

    /** One key, without its secret. */
    public record Item(String accessKeyId, String role, List<String> workloads, String description, Instant createdTime) {
    }

    /** The response body. */
    public record Response(List<Item> accessKeys, String nextToken) {
    }

    @Override
    public Class<Request> inputType() {
        return Request.class;
    }

    @Override
    public Response execute(Request input, Caller caller) {
        var page = accessKeys.list(input.nextToken(), input.maxResults());
        return new Response(page.items().stream().map(ListAccessKeysOperation::item).toList(), page.nextToken());
    }

    private static Item item(AccessKey key) {
        return new Item(key.accessKeyId(), key.role().name(), key.workloads(), key.description(), key.createdTime());
    }
}
