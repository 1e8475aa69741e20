package io.keygate.server.api.data;

import io.keygate.identity.token.ResourceTokenService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

/**
 * {@code POST /identities/api-key}: the API key of a provider, for a workload.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore/latest/APIReference/API_GetResourceApiKey.html">GetResourceApiKey</a>
 */
public final class GetResourceApiKeyOperation
        implements Operation<GetResourceApiKeyOperation.Request, GetResourceApiKeyOperation.Response> {
    private final ResourceTokenService tokens;

    public GetResourceApiKeyOperation(ResourceTokenService tokens) {
        this.tokens = tokens;
    }

    /** The request body. */
    public record Request(String workloadIdentityToken, String resourceCredentialProviderName) {
        @Override
        public String toString() {
            return "Request[" + resourceCredentialProviderName + "]";
        }
    }

    /** The response body. */
    public record Response(String apiKey) {
        @Override
        public String toString() {
            return "Response[redacted]";
        }
    }

    @Override
    public Class<Request> inputType() {
        return Request.class;
    }

    @Override
    public Response execute(Request input, Caller caller) {
        return new Response(tokens.getResourceApiKey(caller.accessKey(), input.workloadIdentityToken(),
                input.resourceCredentialProviderName()));
    }
}
