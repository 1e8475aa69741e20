package io.keygate.identity.binding;

import io.keygate.error.Errors;
import io.keygate.error.Validation;
import io.keygate.identity.provider.AuthorizationServerMetadata;
import io.keygate.identity.provider.MetadataResolver;
import io.keygate.identity.workload.BindingLogin;
import io.keygate.identity.workload.WorkloadIdentity;
import io.keygate.identity.workload.WorkloadIdentityService;
import io.keygate.oauth.ClientRegistration;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Configures a workload identity's binding-page sign-in client (a Keygate extension): reads the IdP's
 * discovery document once, keeps what the sign-in needs, and seals the client secret with the workload
 * identity. The IdP must be an OpenID Provider (authorization, token and JWKS endpoints), because the
 * user is proven by its ID token.
 *
 * @see <a href="https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata">OpenID Connect Discovery §3</a>
 */
public final class BindingLoginSettings {
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");
    private static final Pattern CLIENT_ID = Pattern.compile("[\\x20-\\x7E]+");
    private final WorkloadIdentityService workloads;
    private final MetadataResolver metadata;

    public BindingLoginSettings(WorkloadIdentityService workloads, MetadataResolver metadata) {
        this.workloads = Objects.requireNonNull(workloads, "workloads must not be null");
        this.metadata = Objects.requireNonNull(metadata, "metadata must not be null");
    }

    /** What the administrator gives; {@code clientSecret} null means a public client (PKCE only). */
    public record Request(String discoveryUrl, String clientId, String clientSecret, List<String> scopes) {
        @Override
        public String toString() {
            return "Request[discoveryUrl=" + discoveryUrl + ", clientId=" + clientId + ", scopes=" + scopes + "]";
        }
    }

    /** Replaces the workload's sign-in client. */
    public WorkloadIdentity configure(String workload, Request request) {
        Validation validation = new Validation()
                .required("discoveryUrl", request.discoveryUrl(), 1, 2048, null)
                .required("clientId", request.clientId(), 1, 256, CLIENT_ID)
                .optional("clientSecret", request.clientSecret(), 1, 2048, null);
        List<String> scopes = request.scopes() == null ? List.of() : request.scopes();
        if (scopes.size() > 20) {
            validation.problem("scopes", "at most 20 scopes");
        }
        for (int i = 0; i < scopes.size(); i++) {
            validation.required("scopes[" + i + "]", scopes.get(i), 1, 128, SCOPE);
        }
        validation.throwIfInvalid();
        workloads.get(workload);
        AuthorizationServerMetadata idp = metadata.resolve("discoveryUrl", request.discoveryUrl());
        if (idp.authorizationEndpoint() == null || idp.tokenEndpoint() == null || idp.jwksUri() == null) {
            throw Errors.invalidField("discoveryUrl", "the document must name an authorization_endpoint, a "
                    + "token_endpoint and a jwks_uri: the binding page signs users in with OpenID Connect and checks "
                    + "their ID token; use the discovery URL of the OpenID Provider that issues the workload's user JWTs");
        }
        List<String> withOpenId = new ArrayList<>(List.of("openid"));
        scopes.stream().filter(scope -> !withOpenId.contains(scope)).forEach(withOpenId::add);
        String method = ClientRegistration.preferredMethod(idp.tokenEndpointAuthMethods());
        BindingLogin login = new BindingLogin(request.discoveryUrl(), idp.issuer(), idp.authorizationEndpoint(),
                idp.tokenEndpoint(), idp.jwksUri(), method, idp.authorizationResponseIssParameterSupported(),
                request.clientId(), withOpenId);
        return workloads.setBindingLogin(workload, login, request.clientSecret());
    }

    /** Removes the workload's sign-in client: its sessions can then be completed only by an application. */
    public WorkloadIdentity remove(String workload) {
        return workloads.setBindingLogin(workload, null, null);
    }
}
