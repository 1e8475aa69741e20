package io.keygate.server.api.control;

import io.keygate.config.Arns;
import io.keygate.identity.provider.ApiKeyCredentialProviderService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.time.Instant;
import java.util.List;

/**
 * {@code POST /identities/ListApiKeyCredentialProviders}, 1–100 per page.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_ListApiKeyCredentialProviders.html">ListApiKeyCredentialProviders</a>
 */
public final class ListApiKeyCredentialProvidersOperation
        implements Operation<ListRequest, ListApiKeyCredentialProvidersOperation.Response> {
    private final ApiKeyCredentialProviderService providers;
    private final Arns arns;

    public ListApiKeyCredentialProvidersOperation(ApiKeyCredentialProviderService providers, Arns arns) {
        this.providers = providers;
        this.arns = arns;
    }

    /** One list entry. */
    public record Item(String name, String credentialProviderArn, Instant createdTime, Instant lastUpdatedTime) {
    }

    /** The response body. */
    public record Response(List<Item> credentialProviders, String nextToken) {
    }

    @Override
    public Class<ListRequest> inputType() {
        return ListRequest.class;
    }

    @Override
    public Response execute(ListRequest input, Caller caller) {
        var page = providers.list(input.nextToken(), input.maxResults());
        return new Response(page.items().stream().map(provider -> new Item(provider.name(),
                arns.apiKeyCredentialProvider(provider.name()), provider.createdTime(), provider.lastUpdatedTime()))
                .toList(), page.nextToken());
    }
}
