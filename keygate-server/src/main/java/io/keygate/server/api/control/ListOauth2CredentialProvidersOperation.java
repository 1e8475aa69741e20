package io.keygate.server.api.control;

import io.keygate.config.Arns;
import io.keygate.identity.provider.Oauth2CredentialProviderService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.time.Instant;
import java.util.List;

/**
 * {@code POST /identities/ListOauth2CredentialProviders}, paginated by {@code nextToken}, 1–20 per page.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_ListOauth2CredentialProviders.html">ListOauth2CredentialProviders</a>
 */
public final class ListOauth2CredentialProvidersOperation
        implements Operation<ListRequest, ListOauth2CredentialProvidersOperation.Response> {
    private final Oauth2CredentialProviderService providers;
    private final Arns arns;

    public ListOauth2CredentialProvidersOperation(Oauth2CredentialProviderService providers, Arns arns) {
        this.providers = providers;
        this.arns = arns;
    }

    /** One list entry. */
    public record Item(String name, String credentialProviderVendor, String credentialProviderArn, Instant createdTime,
                       Instant lastUpdatedTime) {
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
        return new Response(page.items().stream().map(provider -> new Item(provider.name(), provider.vendor(),
                arns.oauth2CredentialProvider(provider.name()), provider.createdTime(), provider.lastUpdatedTime()))
                .toList(), page.nextToken());
    }
}
