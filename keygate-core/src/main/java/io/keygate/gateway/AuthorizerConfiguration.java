package io.keygate.gateway;

import java.util.List;

/**
 * How a gateway authenticates MCP clients: the AWS {@code AuthorizerConfiguration} union, whose only
 * member is a JWT authorizer (keys and issuer from an OpenID discovery document).
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_CustomJWTAuthorizerConfiguration.html">CustomJWTAuthorizerConfiguration</a>
 */
public record AuthorizerConfiguration(CustomJwtAuthorizer customJWTAuthorizer) {

    /** Checks on inbound JWTs: {@code aud}, {@code client_id}, scopes and custom claim rules. */
    public record CustomJwtAuthorizer(String discoveryUrl, List<String> allowedAudience, List<String> allowedClients,
                                      List<String> allowedScopes, List<CustomClaim> customClaims) {
    }

    /** One rule on a claim of the inbound token. */
    public record CustomClaim(String inboundTokenClaimName, String inboundTokenClaimValueType,
                              AuthorizingClaimMatchValue authorizingClaimMatchValue) {
    }

    /** What the claim must equal or contain. */
    public record AuthorizingClaimMatchValue(ClaimMatchValue claimMatchValue, String claimMatchOperator) {
    }

    /** A union: one string or a list of strings. */
    public record ClaimMatchValue(String matchValueString, List<String> matchValueStringList) {
    }
}
