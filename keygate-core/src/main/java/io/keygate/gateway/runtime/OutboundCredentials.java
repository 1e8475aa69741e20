package io.keygate.gateway.runtime;

import io.keygate.access.AccessKey;
import io.keygate.error.ServiceException;
import io.keygate.gateway.CredentialProviderConfiguration;
import io.keygate.gateway.Gateway;
import io.keygate.gateway.GatewayTarget;
import io.keygate.identity.provider.ApiKeyCredentialProviderService;
import io.keygate.identity.token.ResourceTokenService;
import io.keygate.identity.token.WorkloadAccessTokenService;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the gateway sends to a target for one caller: the API key, the workload's client-credentials
 * token, the calling user's own token from the vault (3LO — or a consent link when the vault has
 * none), the caller's token only for JWT_PASSTHROUGH, or nothing. The inbound token is never
 * forwarded otherwise (security.md GW-2); the user is the token's iss+sub only (GW-3).
 */
public final class OutboundCredentials {
    private final WorkloadAccessTokenService workloadTokens;
    private final ResourceTokenService resourceTokens;
    private final ApiKeyCredentialProviderService apiKeys;
    private final Clock clock;

    public OutboundCredentials(WorkloadAccessTokenService workloadTokens, ResourceTokenService resourceTokens,
                               ApiKeyCredentialProviderService apiKeys, Clock clock) {
        this.workloadTokens = Objects.requireNonNull(workloadTokens, "workloadTokens must not be null");
        this.resourceTokens = Objects.requireNonNull(resourceTokens, "resourceTokens must not be null");
        this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    /** The outcome for one call. */
    public sealed interface Outbound permits Attach, ConsentRequired, Refused {
    }

    /** Headers and query parameters to add to the request to the target. */
    public record Attach(Map<String, String> headers, Map<String, String> queryParameters) implements Outbound {
        @Override
        public String toString() {
            return "Attach[" + headers.keySet() + ", " + queryParameters.keySet() + "]";
        }
    }

    /**
     * The user must consent first: the authorization URL, the session it belongs to, the provider, and why
     * ({@code NO_GRANT}, {@code NEEDS_REAUTH:<error>} when the provider refused to refresh the grant, …).
     */
    public record ConsentRequired(String authorizationUrl, String sessionUri, String provider, String reason)
            implements Outbound {
        /** The vault had a grant, and the provider refused to renew it: the user must consent again. */
        public boolean grantRevoked() {
            return reason != null && reason.startsWith("NEEDS_REAUTH");
        }
    }

    /** Nothing can be sent; the message says why and what to fix, {@code outcome} is the audit code. */
    public record Refused(String message, String outcome) implements Outbound {
        public Refused(String message) {
            this(message, "NO_CREDENTIAL");
        }
    }

    /** The per-call override of AgentCore: {@code _meta[…credentialProviderConfiguration].oauthCredentialProvider}. */
    public record CallOverride(String returnUrl, Boolean forceAuthentication) {
    }

    public Outbound resolve(Gateway gateway, GatewayTarget target, InboundCaller caller, CallOverride override) {
        if (target.credentialProviderConfigurations().isEmpty()) {
            return new Attach(Map.of(), Map.of());
        }
        CredentialProviderConfiguration configuration = target.credentialProviderConfigurations().get(0);
        AccessKey self = new AccessKey("gateway:" + gateway.gatewayId(), AccessKey.Role.WORKLOAD,
                List.of(gateway.workloadIdentityName()), "gateway", clock.instant());
        try {
            return switch (configuration.credentialProviderType()) {
                case "API_KEY" -> apiKey(configuration.credentialProvider().apiKeyCredentialProvider());
                case "JWT_PASSTHROUGH" -> caller.isAnonymous()
                        ? new Refused("target " + target.name() + " forwards the caller's token, but this call has none")
                        : bearer(caller.bearerToken());
                case "OAUTH" -> oauth(gateway, target, configuration.oauth(), caller, override, self);
                default -> new Refused("target " + target.name() + " uses credential type "
                        + configuration.credentialProviderType() + ", which Keygate cannot provide");
            };
        } catch (ServiceException failure) {
            boolean returnUrl = failure.fieldList() != null && failure.fieldList().stream()
                    .anyMatch(problem -> "resourceOauth2ReturnUrl".equals(problem.name()));
            return new Refused("Keygate could not get a credential for target " + target.name() + ": " + failure.getMessage(),
                    returnUrl ? "RETURN_URL_NOT_ALLOWED" : "NO_CREDENTIAL");
        }
    }

    private Outbound apiKey(CredentialProviderConfiguration.ApiKeyCredentialProvider config) {
        String key = apiKeys.apiKey(providerName(config.providerArn()));
        String name = config.credentialParameterName() != null ? config.credentialParameterName() : "Authorization";
        String prefix = config.credentialPrefix() != null ? config.credentialPrefix() + " "
                : name.equalsIgnoreCase("Authorization") ? "Bearer " : "";
        return "QUERY_PARAMETER".equals(config.credentialLocation())
                ? new Attach(Map.of(), Map.of(name, prefix + key))
                : new Attach(Map.of(name, prefix + key), Map.of());
    }

    private Outbound oauth(Gateway gateway, GatewayTarget target, CredentialProviderConfiguration.OAuthCredentialProvider config,
                           InboundCaller caller, CallOverride override, AccessKey self) {
        String provider = providerName(config.providerArn());
        List<String> scopes = config.scopes() == null ? List.of() : config.scopes();
        if (!"AUTHORIZATION_CODE".equals(config.effectiveGrantType())) {
            String wat = workloadTokens.forWorkload(self, gateway.workloadIdentityName());
            return bearer(resourceTokens.getResourceOauth2Token(self, new ResourceTokenService.Request(wat, provider,
                    scopes, "M2M", null, null, null, null, null, null, null)).accessToken());
        }
        if (caller.isAnonymous()) {
            return new Refused("target " + target.name() + " acts with each user's own consent, which needs an "
                    + "authenticated caller; configure the gateway with a CUSTOM_JWT authorizer");
        }
        String wat = workloadTokens.forAuthenticatedJwt(self, gateway.workloadIdentityName(), caller.issuer(),
                caller.subject(), caller.bearerToken());
        String returnUrl = override != null && override.returnUrl() != null ? override.returnUrl() : config.defaultReturnUrl();
        Boolean force = override == null ? null : override.forceAuthentication();
        ResourceTokenService.Result result = resourceTokens.getResourceOauth2Token(self, new ResourceTokenService.Request(
                wat, provider, scopes, "USER_FEDERATION", null, returnUrl, force, config.customParameters(), null, null, null));
        return result.accessToken() != null ? bearer(result.accessToken())
                : new ConsentRequired(result.authorizationUrl(), result.sessionUri(), provider, result.consentReason());
    }

    private static Attach bearer(String token) {
        return new Attach(Map.of("Authorization", "Bearer " + token), Map.of());
    }

    /** The provider name of an ARN ({@code …/oauth2credentialprovider/<name>}) or a bare name. */
    static String providerName(String arnOrName) {
        int slash = arnOrName.lastIndexOf('/');
        return slash < 0 ? arnOrName : arnOrName.substring(slash + 1);
    }
}
