package io.keygate.gateway;

import java.util.List;
import java.util.Map;

/**
 * How the gateway authenticates towards a target: the AWS {@code CredentialProviderConfiguration}
 * with its {@code credentialProvider} union. OAUTH and API_KEY name a credential provider of the
 * token vault; JWT_PASSTHROUGH forwards the caller's token and has no struct.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_CredentialProviderConfiguration.html">CredentialProviderConfiguration</a>
 */
public record CredentialProviderConfiguration(String credentialProviderType, CredentialProvider credentialProvider) {

    /** The union: at most one member is set. */
    public record CredentialProvider(OAuthCredentialProvider oauthCredentialProvider,
                                     ApiKeyCredentialProvider apiKeyCredentialProvider) {
    }

    /** An OAuth2 credential provider and the grant the gateway runs with it. */
    public record OAuthCredentialProvider(String providerArn, List<String> scopes, Map<String, String> customParameters,
                                          String grantType, String defaultReturnUrl) {
        /** AWS runs CLIENT_CREDENTIALS when grantType is omitted. */
        public String effectiveGrantType() {
            return grantType == null ? "CLIENT_CREDENTIALS" : grantType;
        }
    }

    /** An API key credential provider and where the key goes in requests to the target. */
    public record ApiKeyCredentialProvider(String providerArn, String credentialParameterName, String credentialPrefix,
                                           String credentialLocation) {
    }

    /** The OAuth member when this is an OAUTH configuration, else null. */
    public OAuthCredentialProvider oauth() {
        return credentialProvider == null ? null : credentialProvider.oauthCredentialProvider();
    }
}
