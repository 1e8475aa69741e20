package io.keygate.server.api.control;

import io.keygate.config.Arns;
import io.keygate.identity.provider.ApiKeyCredentialProviderService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

/**
 * {@code POST /identities/UpdateApiKeyCredentialProvider}: replaces the key.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_UpdateApiKeyCredentialProvider.html">UpdateApiKeyCredentialProvider</a>
 */
public final class UpdateApiKeyCredentialProviderOperation
        implements Operation<UpdateApiKeyCredentialProviderOperation.Request, ApiKeyProviderOutput> {
    private final ApiKeyCredentialProviderService providers;
    private final Arns arns;

    public UpdateApiKeyCredentialProviderOperation(ApiKeyCredentialProviderService providers, Arns arns) {
        this.providers = providers;
        this.arns = arns;
    }

    /** The request body. */
    public record Request(String name, String apiKey) {
        @Override
        public String toString() {
            return "Request[name=" + name + "]";
        }
    }

    @Override
    public Class<Request> inputType() {
        return Request.class;
    }

    @Override
    public ApiKeyProviderOutput execute(Request input, Caller caller) {
        return ApiKeyProviderOutput.of(providers.update(input.name(), input.apiKey()), arns);
    }
}
