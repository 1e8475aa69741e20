package io.keygate.server.api.control;

import io.keygate.config.Arns;
import io.keygate.identity.provider.ApiKeyCredentialProviderService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

/**
 * {@code POST /identities/GetApiKeyCredentialProvider}.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_GetApiKeyCredentialProvider.html">GetApiKeyCredentialProvider</a>
 */
public final class GetApiKeyCredentialProviderOperation implements Operation<NameRequest, ApiKeyProviderOutput> {
    private final ApiKeyCredentialProviderService providers;
    private final Arns arns;

    public GetApiKeyCredentialProviderOperation(ApiKeyCredentialProviderService providers, Arns arns) {
        this.providers = providers;
        this.arns = arns;
    }

    @Override
    public Class<NameRequest> inputType() {
        return NameRequest.class;
    }

    @Override
    public ApiKeyProviderOutput execute(NameRequest input, Caller caller) {
        return ApiKeyProviderOutput.of(providers.get(input.name()), arns);
    }
}
