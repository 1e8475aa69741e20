package io.keygate.server.api.control;

import io.keygate.config.Arns;
import io.keygate.identity.provider.Oauth2CredentialProviderService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.net.URI;
import java.util.function.Supplier;

/**
 * {@code POST /identities/GetOauth2CredentialProvider}.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_GetOauth2CredentialProvider.html">GetOauth2CredentialProvider</a>
 */
public final class GetOauth2CredentialProviderOperation implements Operation<NameRequest, Oauth2ProviderOutput> {
    private final Oauth2CredentialProviderService providers;
    private final Arns arns;
    private final Supplier<URI> publicUrl;

    public GetOauth2CredentialProviderOperation(Oauth2CredentialProviderService providers, Arns arns,
                                                Supplier<URI> publicUrl) {
        this.providers = providers;
        this.arns = arns;
        this.publicUrl = publicUrl;
    }

    @Override
    public Class<NameRequest> inputType() {
        return NameRequest.class;
    }

    @Override
    public Oauth2ProviderOutput execute(NameRequest input, Caller caller) {
        return Oauth2ProviderOutput.of(providers.get(input.name()), arns, publicUrl.get());
    }
}
