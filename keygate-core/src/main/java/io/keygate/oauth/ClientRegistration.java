package io.keygate.oauth;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * How Keygate authenticates to one provider's token endpoint as an OAuth 2.0 client
 * (RFC 6749 §2.3, https://www.rfc-editor.org/rfc/rfc6749#section-2.3).
 *
 * @param clientId             the client identifier issued by the provider
 * @param clientSecret         the client secret, or null for a public client, which then sends only
 *                             {@code client_id} in the form (RFC 6749 §3.2.1)
 * @param authenticationMethod {@value #CLIENT_SECRET_BASIC} (the default when null) or
 *                             {@value #CLIENT_SECRET_POST}; ignored for a public client
 * @param tokenEndpoint        the provider's token endpoint; checked by the outbound URL guard on every call
 */
public record ClientRegistration(String clientId, String clientSecret, String authenticationMethod, URI tokenEndpoint) {
    /** Credentials in the {@code Authorization: Basic} header (RFC 6749 §2.3.1). */
    public static final String CLIENT_SECRET_BASIC = "CLIENT_SECRET_BASIC";
    /** Credentials as {@code client_id}/{@code client_secret} form parameters (RFC 6749 §2.3.1). */
    public static final String CLIENT_SECRET_POST = "CLIENT_SECRET_POST";

    /**
     * @throws NullPointerException     when {@code clientId} or {@code tokenEndpoint} is null
     * @throws IllegalArgumentException when {@code authenticationMethod} is neither supported value
     */
    public ClientRegistration {
        Objects.requireNonNull(clientId, "clientId must not be null");
        Objects.requireNonNull(tokenEndpoint, "tokenEndpoint must not be null");
        if (authenticationMethod == null) {
            authenticationMethod = CLIENT_SECRET_BASIC;
        } else if (!authenticationMethod.equals(CLIENT_SECRET_BASIC) && !authenticationMethod.equals(CLIENT_SECRET_POST)) {
            throw new IllegalArgumentException("authenticationMethod must be " + CLIENT_SECRET_BASIC + " or "
                    + CLIENT_SECRET_POST + ", got " + authenticationMethod);
        }
    }

    /** A public client: no secret, {@code client_id} sent in the form. */
    public static ClientRegistration publicClient(String clientId, URI tokenEndpoint) {
        return new ClientRegistration(clientId, null, null, tokenEndpoint);
    }

    public boolean isPublic() {
        return clientSecret == null;
    }

    /** Omits the secret, so a registration can be logged (security.md LG-1). */
    @Override
    public String toString() {
        return "ClientRegistration[clientId=" + clientId + ", clientSecret=" + (clientSecret == null ? "none" : "***")
                + ", authenticationMethod=" + authenticationMethod + ", tokenEndpoint=" + tokenEndpoint + "]";
    }

    /**
     * The method to use with an identity provider that lists {@code methods} (its
     * {@code token_endpoint_auth_methods_supported}): Basic when listed or when none are listed (RFC 8414 §2's
     * default), otherwise POST.
     */
    public static String preferredMethod(List<String> methods) {
        return methods.isEmpty() || methods.contains("client_secret_basic") ? CLIENT_SECRET_BASIC : CLIENT_SECRET_POST;
    }
}
