package io.keygate.server.api.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.config.Arns;
import io.keygate.identity.provider.Oauth2CredentialProviderService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.net.URI;
import java.util.function.Supplier;

/**
 * {@code POST /identities/UpdateOauth2CredentialProvider}: full replace of vendor and config.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_UpdateOauth2CredentialProvider.html">UpdateOauth2CredentialProvider</a>
 */
public final class UpdateOauth2CredentialProviderOperation
        implements Operation<UpdateOauth2CredentialProviderOperation.Request, Oauth2ProviderOutput> {
    private final Oauth2CredentialProviderService providers;
    private final Arns arns;
    private final Supplier<URI> publicUrl;

    public UpdateOauth2CredentialProviderOperation(Oauth2CredentialProviderService providers, Arns arns,
                                                   Supplier<URI> publicUrl) {
        this.providers = providers;
        this.arns = arns;
        this.publicUrl = publicUrl;
    }

    /** The request body. */
    public record Request(String name, String credentialProviderVendor, JsonNode oauth2ProviderConfigInput) {
    }

    @Override
    public Class<Request> inputType() {
        return Request.class;
    }

    @Override
    public Oauth2ProviderOutput execute(Request input, Caller caller) {
        var provider = providers.update(Oauth2ProviderWire.input(input.name(), input.credentialProviderVendor(),
                input.oauth2ProviderConfigInput(), null));
        return Oauth2ProviderOutput.of(provider, arns, publicUrl.get());
    }
}
