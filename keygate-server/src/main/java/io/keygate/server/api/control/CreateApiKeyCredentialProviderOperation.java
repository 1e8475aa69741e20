package io.keygate.server.api.control;

import io.keygate.config.Arns;
import io.keygate.identity.provider.ApiKeyCredentialProviderService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.util.Map;

/**
 * {@code POST /identities/CreateApiKeyCredentialProvider} → 201.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_CreateApiKeyCredentialProvider.html">CreateApiKeyCredentialProvider</a>
 */
public final class CreateApiKeyCredentialProviderOperation
        implements Operation<CreateApiKeyCredentialProviderOperation.Request, ApiKeyProviderOutput> {
    private final ApiKeyCredentialProviderService providers;
    private final Arns arns;

    public CreateApiKeyCredentialProviderOperation(ApiKeyCredentialProviderService providers, Arns arns) {
        this.providers = providers;
        this.arns = arns;
    }

    /** The request body. */
    public record Request(String name, String apiKey, Map<String, String> tags) {
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
    public int successStatus() {
        return 201;
    }

    @Override
    public ApiKeyProviderOutput execute(Request input, Caller caller) {
        return ApiKeyProviderOutput.of(providers.create(input.name(), input.apiKey(), input.tags()), arns);
    }
}
