package io.keygate.gateway;

import io.keygate.error.Validation;
import io.keygate.gateway.CredentialProviderConfiguration.ApiKeyCredentialProvider;
import io.keygate.gateway.CredentialProviderConfiguration.OAuthCredentialProvider;
import io.keygate.identity.provider.ApiKeyCredentialProviderService;
import io.keygate.identity.provider.Oauth2CredentialProviderService;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Validates a target's {@code credentialProviderConfigurations}: none (the target needs no credential)
 * or exactly one of OAUTH, API_KEY or JWT_PASSTHROUGH, naming providers that exist in the token vault.
 * Keygate has no IAM, so GATEWAY_IAM_ROLE and CALLER_IAM_CREDENTIALS are refused.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_CredentialProviderConfiguration.html">CredentialProviderConfiguration</a>
 */
final class CredentialProviderRules {
    private static final Pattern OAUTH_ARN = Pattern.compile(
            "arn:aws[^:]*:bedrock-agentcore:[^:]*:[^:]*:token-vault/[^/]+/oauth2credentialprovider/(.+)");
    private static final Pattern API_KEY_ARN = Pattern.compile(
            "arn:aws[^:]*:bedrock-agentcore:[^:]*:[^:]*:token-vault/[^/]+/apikeycredentialprovider/(.+)");
    private static final Pattern RETURN_URL = Pattern.compile("\\w+:(/?/?)[^\\s]+");
    private static final String FIELD = "credentialProviderConfigurations[0]";
    private static final String OAUTH = FIELD + ".credentialProvider.oauthCredentialProvider";
    private static final String API_KEY = FIELD + ".credentialProvider.apiKeyCredentialProvider";

    private final Oauth2CredentialProviderService oauth2Providers;
    private final ApiKeyCredentialProviderService apiKeyProviders;

    CredentialProviderRules(Oauth2CredentialProviderService oauth2Providers, ApiKeyCredentialProviderService apiKeyProviders) {
        this.oauth2Providers = Objects.requireNonNull(oauth2Providers, "oauth2Providers must not be null");
        this.apiKeyProviders = Objects.requireNonNull(apiKeyProviders, "apiKeyProviders must not be null");
    }

    /** The provider name an OAuth provider ARN (or bare name) refers to. */
    static String oauth2ProviderName(String providerArn) {
        return nameOf(OAUTH_ARN, providerArn);
    }

    /** The provider name an API key provider ARN (or bare name) refers to. */
    static String apiKeyProviderName(String providerArn) {
        return nameOf(API_KEY_ARN, providerArn);
    }

    void validate(List<CredentialProviderConfiguration> configurations, Validation validation) {
        if (configurations == null || configurations.isEmpty()) {
            return;
        }
        if (configurations.size() > 1) {
            validation.problem("credentialProviderConfigurations", "must hold exactly one configuration, got "
                    + configurations.size());
            return;
        }
        CredentialProviderConfiguration configuration = configurations.get(0);
        String type = configuration.credentialProviderType();
        var provider = configuration.credentialProvider();
        if (type == null) {
            validation.problem(FIELD + ".credentialProviderType", "is required: OAUTH, API_KEY or JWT_PASSTHROUGH");
            return;
        }
        switch (type) {
            case "OAUTH" -> oauth(provider == null ? null : provider.oauthCredentialProvider(), validation);
            case "API_KEY" -> apiKey(provider == null ? null : provider.apiKeyCredentialProvider(), validation);
            case "JWT_PASSTHROUGH" -> noStruct(type, provider, validation);
            case "GATEWAY_IAM_ROLE", "CALLER_IAM_CREDENTIALS" -> validation.problem(FIELD + ".credentialProviderType",
                    type + " signs requests with AWS IAM credentials, and Keygate has no IAM; use OAUTH, API_KEY or "
                            + "JWT_PASSTHROUGH, or omit credentialProviderConfigurations when the target needs no credential");
            default -> validation.oneOf(FIELD + ".credentialProviderType", type, List.of("OAUTH", "API_KEY", "JWT_PASSTHROUGH"));
        }
    }

    private void oauth(OAuthCredentialProvider oauth, Validation validation) {
        if (oauth == null) {
            validation.problem(OAUTH, "is required for credentialProviderType OAUTH: give providerArn, scopes and grantType");
            return;
        }
        validation.required(OAUTH + ".providerArn", oauth.providerArn(), 1, 2048, null)
                .optional(OAUTH + ".defaultReturnUrl", oauth.defaultReturnUrl(), 1, 2048, RETURN_URL);
        GatewayRules.list(validation, OAUTH + ".scopes", oauth.scopes() == null || oauth.scopes().isEmpty() ? null
                : oauth.scopes(), 1, 64, null);
        customParameters(oauth.customParameters(), validation);
        if (oauth.providerArn() != null && oauth2Providers.find(oauth2ProviderName(oauth.providerArn())).isEmpty()) {
            validation.problem(OAUTH + ".providerArn", "names no OAuth2 credential provider ('" + oauth.providerArn()
                    + "'); create it with CreateOauth2CredentialProvider or give the ARN it returned");
        }
        String grant = oauth.effectiveGrantType();
        if (grant.equals("TOKEN_EXCHANGE")) {
            validation.problem(OAUTH + ".grantType", "TOKEN_EXCHANGE is not supported yet; use CLIENT_CREDENTIALS or "
                    + "AUTHORIZATION_CODE");
        } else {
            validation.oneOf(OAUTH + ".grantType", grant, List.of("CLIENT_CREDENTIALS", "AUTHORIZATION_CODE"));
        }
        if (grant.equals("AUTHORIZATION_CODE") && oauth.defaultReturnUrl() == null) {
            validation.problem(OAUTH + ".defaultReturnUrl", "is required for grantType AUTHORIZATION_CODE: the URL of your "
                    + "application where users land after consenting (it is added to the gateway's workload identity)");
        }
    }

    private static void customParameters(Map<String, String> parameters, Validation validation) {
        if (parameters == null) {
            return;
        }
        if (parameters.isEmpty() || parameters.size() > 10) {
            validation.problem(OAUTH + ".customParameters", "must hold 1 to 10 entries when given");
        }
        parameters.forEach((key, value) -> {
            validation.optional(OAUTH + ".customParameters." + key, key, 1, 256, null);
            // the values may be sensitive: the problem says how long they may be, never what they are
            if (value == null || value.isEmpty() || value.length() > 2048) {
                validation.problem(OAUTH + ".customParameters." + key, "value must be 1 to 2048 characters long");
            }
        });
    }

    private void apiKey(ApiKeyCredentialProvider apiKey, Validation validation) {
        if (apiKey == null) {
            validation.problem(API_KEY, "is required for credentialProviderType API_KEY: give providerArn");
            return;
        }
        validation.required(API_KEY + ".providerArn", apiKey.providerArn(), 1, 2048, null)
                .optional(API_KEY + ".credentialParameterName", apiKey.credentialParameterName(), 1, 64, null)
                .optional(API_KEY + ".credentialPrefix", apiKey.credentialPrefix(), 1, 64, null)
                .oneOf(API_KEY + ".credentialLocation", apiKey.credentialLocation(), List.of("HEADER", "QUERY_PARAMETER"));
        if (apiKey.providerArn() != null && apiKeyProviders.find(apiKeyProviderName(apiKey.providerArn())).isEmpty()) {
            validation.problem(API_KEY + ".providerArn", "names no API key credential provider ('" + apiKey.providerArn()
                    + "'); create it with CreateApiKeyCredentialProvider or give the ARN it returned");
        }
    }

    private static void noStruct(String type, CredentialProviderConfiguration.CredentialProvider provider,
                                 Validation validation) {
        if (provider != null && (provider.oauthCredentialProvider() != null || provider.apiKeyCredentialProvider() != null)) {
            validation.problem(FIELD + ".credentialProvider", type + " takes no credentialProvider; omit it");
        }
    }

    private static String nameOf(Pattern arn, String providerArn) {
        Matcher matcher = arn.matcher(providerArn);
        return matcher.matches() ? matcher.group(1) : providerArn;
    }
}
