package io.keygate.identity.provider;

import java.util.List;
import java.util.Objects;

/**
 * What Keygate needs to know about an authorization server, from its discovery document
 * (RFC 8414 / OpenID Connect Discovery 1.0), from the AWS {@code authorizationServerMetadata} input,
 * or from the built-in vendor catalogue.
 *
 * @param jwksUri                                 JWKS location when known (OIDC), else null
 * @param authorizationResponseIssParameterSupported RFC 9207 support advertised by the server
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8414">RFC 8414</a>
 */
public record AuthorizationServerMetadata(String issuer, String authorizationEndpoint, String tokenEndpoint,
                                          List<String> responseTypes, List<String> tokenEndpointAuthMethods,
                                          String jwksUri, boolean authorizationResponseIssParameterSupported) {
    public AuthorizationServerMetadata {
        Objects.requireNonNull(issuer, "issuer must not be null");
        responseTypes = responseTypes == null ? List.of() : List.copyOf(responseTypes);
        tokenEndpointAuthMethods = tokenEndpointAuthMethods == null ? List.of() : List.copyOf(tokenEndpointAuthMethods);
    }
}
