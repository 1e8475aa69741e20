package io.keygate.server.api.control;

import io.keygate.identity.provider.Oauth2CredentialProviderService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

/**
 * {@code POST /identities/DeleteOauth2CredentialProvider} → 204.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_DeleteOauth2CredentialProvider.html">DeleteOauth2CredentialProvider</a>
 */
public final class DeleteOauth2CredentialProviderOperation implements Operation<NameRequest, Void> {
    private final Oauth2CredentialProviderService providers;

    public DeleteOauth2CredentialProviderOperation(Oauth2CredentialProviderService providers) {
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
