package io.keygate.server.api.control;

import io.keygate.identity.provider.ApiKeyCredentialProviderService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

/**
 * {@code POST /identities/DeleteApiKeyCredentialProvider} → 204.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_DeleteApiKeyCredentialProvider.html">DeleteApiKeyCredentialProvider</a>
 */
public final class DeleteApiKeyCredentialProviderOperation implements Operation<NameRequest, Void> {
    private final ApiKeyCredentialProviderService providers;

    public DeleteApiKeyCredentialProviderOperation(ApiKeyCredentialProviderService providers) {
        this.providers = providers;
    }

    @Override
    public Class<NameRequest> inputType() {
        return NameRequest.class;
    }

    @Override
    public int successStatus() {
        return 204;
    }

    @Override
    public Void execute(NameRequest input, Caller caller) {
        providers.delete(input.name());
        return null;
    }
}
