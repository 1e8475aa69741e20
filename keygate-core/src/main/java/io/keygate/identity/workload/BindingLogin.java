package io.keygate.identity.workload;

import java.util.List;
import java.util.Objects;

/**
 * A Keygate extension on a workload identity: the OpenID Connect client with which Keygate's own binding
 * page ({@code {public-url}/identities/oauth2/bind}) signs the browser user in, to complete a consent
 * session without an application callback. It must belong to the IdP that issues the workload's user
 * JWTs, so the signed-in {@code iss}+{@code sub} can be compared with the session's originator. The
 * client secret is not here: it is sealed with the workload identity's record.
 *
 * @param discoveryUrl          the IdP's OpenID discovery URL, as configured
 * @param issuer                the discovery document's {@code issuer}; ID tokens must carry exactly this
 * @param jwksUri               where the ID token's signing keys come from
 * @param authenticationMethod  {@code CLIENT_SECRET_BASIC} or {@code CLIENT_SECRET_POST}; ignored for a public client
 * @param issParameterSupported whether the IdP announces RFC 9207 {@code iss} in authorization responses
 * @param scopes                the scopes of the sign-in; always includes {@code openid}
 * @see <a href="https://openid.net/specs/openid-connect-core-1_0.html#CodeFlowAuth">OpenID Connect Core §3.1</a>
 */
public record BindingLogin(String discoveryUrl, String issuer, String authorizationEndpoint, String tokenEndpoint,
                           String jwksUri, String authenticationMethod, boolean issParameterSupported, String clientId,
                           List<String> scopes) {
    public BindingLogin {
        Objects.requireNonNull(issuer, "issuer must not be null");
        Objects.requireNonNull(clientId, "clientId must not be null");
        scopes = scopes == null ? List.of("openid") : List.copyOf(scopes);
    }
}
