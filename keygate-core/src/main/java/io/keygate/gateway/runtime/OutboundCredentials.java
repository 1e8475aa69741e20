package io.keygate.gateway.runtime;

import io.keygate.access.AccessKey;
import io.keygate.cache.ReadCache;
import io.keygate.cache.ResourceCaches;
import io.keygate.error.ServiceException;
import io.keygate.gateway.CredentialProviderConfiguration;
import io.keygate.gateway.Gateway;
import io.keygate.gateway.GatewayTarget;
import io.keygate.identity.provider.ApiKeyCredentialProviderService;
import io.keygate.identity.token.ResourceTokenService;
import io.keygate.identity.token.WorkloadAccessTokenService;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the gateway sends to a target, for tool calls and tool listing alike (the one place that builds
 * outbound headers and query parameters): the API key, the workload's client-credentials token, the
 * calling user's own token from the vault (3LO — or a consent link when the vault has none), the
 * caller's token only for JWT_PASSTHROUGH, or nothing. The inbound token is never forwarded otherwise
 * (security.md GW-2); the user is the token's iss+sub only (GW-3). Listing without a caller (at
 * create or synchronize) uses the administrator consent of the target's synthetic user for 3LO.
 * Opened API keys are kept for a few seconds by provider name ({@link ResourceCaches}): an update or
 * delete of the provider on this node applies at once, on another node within the cache's TTL.
 */
public final class OutboundCredentials {
    private final WorkloadAccessTokenService workloadTokens;
    private final ResourceTokenService resourceTokens;
    private final ApiKeyCredentialProviderService apiKeys;
    private final Clock clock;
    private final ReadCache<String, String> openedApiKeys;

    public OutboundCredentials(WorkloadAccessTokenService workloadTokens, ResourceTokenService resourceTokens,
                               ApiKeyCredentialProviderService apiKeys, Clock clock, ResourceCaches caches) {
        this.openedApiKeys = caches.byName(ApiKeyCredentialProviderService.KIND, 1_000);
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
        /** The endpoint with the query parameters appended, URL-encoded. */
        public URI applyTo(URI endpoint) {
            if (queryParameters.isEmpty()) {
                return endpoint;
            }
            StringBuilder uri = new StringBuilder(endpoint.toString());
            queryParameters.forEach((name, value) -> uri.append(uri.indexOf("?") < 0 ? '?' : '&')
                    .append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
            return URI.create(uri.toString());
        }

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

    /** For a tool call: a missing user grant gives a consent link. */
    public Outbound resolve(Gateway gateway, GatewayTarget target, InboundCaller caller, CallOverride override) {
        return outbound(gateway, target, Objects.requireNonNull(caller, "caller must not be null"), override, false);
    }

    /**
     * For listing the target's tools. With a caller (a DYNAMIC {@code tools/list}) it is the caller's
     * credential, but a missing user grant is Refused: a listing never starts the user's consent.
     * Without one (create, update, synchronize) an AUTHORIZATION_CODE target uses the administrator's
     * consent as its synthetic user (a consent link until given), and JWT_PASSTHROUGH is Refused.
     */
    public Outbound forListing(Gateway gateway, GatewayTarget target, InboundCaller caller) {
        return outbound(gateway, target, caller, null, true);
    }

    private Outbound outbound(Gateway gateway, GatewayTarget target, InboundCaller caller, CallOverride override,
                              boolean listing) {
        if (target.credentialProviderConfigurations().isEmpty()) {
            return new Attach(Map.of(), Map.of());
        }
        CredentialProviderConfiguration configuration = target.credentialProviderConfigurations().get(0);
        AccessKey self = new AccessKey("gateway:" + gateway.gatewayId(), AccessKey.Role.WORKLOAD,
                List.of(gateway.workloadIdentityName()), "gateway", clock.instant());
        try {
            return switch (configuration.credentialProviderType()) {
                case "API_KEY" -> apiKey(configuration.credentialProvider().apiKeyCredentialProvider());
                case "JWT_PASSTHROUGH" -> passthrough(target, caller);
                case "OAUTH" -> oauth(gateway, target, configuration.oauth(), caller, override, listing, self);
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
        String key = openedApiKeys.get(providerName(config.providerArn()), apiKeys::apiKey);
        String name = config.credentialParameterName() != null ? config.credentialParameterName() : "Authorization";
        String prefix = config.credentialPrefix() != null ? config.credentialPrefix() + " "
                : name.equalsIgnoreCase("Authorization") ? "Bearer " : "";
        return "QUERY_PARAMETER".equals(config.credentialLocation())
                ? new Attach(Map.of(), Map.of(name, prefix + key))
                : new Attach(Map.of(name, prefix + key), Map.of());
    }

    private static Outbound passthrough(GatewayTarget target, InboundCaller caller) {
        if (caller == null) {
            return new Refused("target " + target.name() + " forwards each caller's token (JWT_PASSTHROUGH), and no "
                    + "caller is present when Keygate lists its tools at create, update or synchronize: give the tools "
                    + "inline in targetConfiguration.mcp.mcpServer.mcpToolSchema, or set listingMode DYNAMIC so that "
                    + "each tools/list asks the server with the caller's token");
        }
        return caller.isAnonymous()
                ? new Refused("target " + target.name() + " forwards the caller's token, but this call has none")
                : bearer(caller.bearerToken());
    }

    private Outbound oauth(Gateway gateway, GatewayTarget target, CredentialProviderConfiguration.OAuthCredentialProvider config,
                           InboundCaller caller, CallOverride override, boolean listing, AccessKey self) {
        String provider = providerName(config.providerArn());
        List<String> scopes = config.scopes() == null ? List.of() : config.scopes();
        if (!"AUTHORIZATION_CODE".equals(config.effectiveGrantType())) {
            String wat = workloadTokens.forWorkload(self, gateway.workloadIdentityName());
            return bearer(resourceTokens.getResourceOauth2Token(self, new ResourceTokenService.Request(wat, provider,
                    scopes, "M2M", null, null, null, null, null, null, null)).accessToken());
        }
        if (caller == null) {
            return target.authorization() == null
                    ? new Refused("target " + target.name() + " has no administrator consent user yet; synchronize it")
                    : userFederation(self, workloadTokens.forUserId(self, gateway.workloadIdentityName(),
                    target.authorization().userId()), provider, scopes, config, null);
        }
        if (caller.isAnonymous()) {
            return new Refused("target " + target.name() + " acts with each user's own consent, which needs an "
                    + "authenticated caller; configure the gateway with a CUSTOM_JWT authorizer");
        }
        String wat = workloadTokens.forAuthenticatedJwt(self, gateway.workloadIdentityName(), caller.issuer(),
                caller.subject(), caller.bearerToken());
        if (listing) {
            return resourceTokens.vaultedUserToken(self, wat, provider, scopes).<Outbound>map(OutboundCredentials::bearer)
                    .orElseGet(() -> new Refused("target " + target.name() + " acts with each user's own consent, which "
                            + "this user has not given yet: calling one of its tools sends the consent link"));
        }
        return userFederation(self, wat, provider, scopes, config, override);
    }

    private Outbound userFederation(AccessKey self, String wat, String provider, List<String> scopes,
                                    CredentialProviderConfiguration.OAuthCredentialProvider config, CallOverride override) {
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
