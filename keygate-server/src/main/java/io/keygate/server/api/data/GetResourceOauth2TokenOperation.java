package io.keygate.server.api.data;

import io.keygate.identity.token.ResourceTokenService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

/**
 * {@code POST /identities/oauth2/token}: M2M or USER_FEDERATION token, or a consent session to complete.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore/latest/APIReference/API_GetResourceOauth2Token.html">GetResourceOauth2Token</a>
 */
public final class GetResourceOauth2TokenOperation
        implements Operation<ResourceTokenService.Request, ResourceTokenService.Result> {
    private final ResourceTokenService tokens;

    public GetResourceOauth2TokenOperation(ResourceTokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    public Class<ResourceTokenService.Request> inputType() {
        return ResourceTokenService.Request.class;
    }

    @Override
    public ResourceTokenService.Result execute(ResourceTokenService.Request input, Caller caller) {
        return tokens.getResourceOauth2Token(caller.accessKey(), input);
    }
}
