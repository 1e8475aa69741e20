package io.keygate.identity.token;

import com.github.benmanes.caffeine.cache.Cache;
import io.keygate.cache.Caches;
import io.keygate.cache.ReadCache;
import io.keygate.cache.ResourceCaches;
import com.github.benmanes.caffeine.cache.Expiry;
import io.keygate.access.AccessKey;
import io.keygate.audit.AuditLog;
import io.keygate.error.Errors;
import io.keygate.error.Validation;
import io.keygate.identity.provider.ApiKeyCredentialProviderService;
import io.keygate.identity.provider.Oauth2CredentialProvider;
import io.keygate.identity.provider.Oauth2CredentialProviderService;
import io.keygate.identity.session.AuthSession;
import io.keygate.identity.session.AuthSessionService;
import io.keygate.identity.vault.UserTokenVault;
import io.keygate.identity.workload.WorkloadIdentityService;
import io.keygate.net.OutboundUrlException;
import io.keygate.oauth.OAuthClient;
import io.keygate.oauth.TokenError;
import io.keygate.oauth.TokenResponse;
import io.keygate.oauth.TokenSuccess;
import io.keygate.oauth.TransientTokenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code GetResourceOauth2Token} and {@code GetResourceApiKey}: hands a workload the credential for a
 * provider. M2M uses the client-credentials grant, cached until shortly before expiry;
 * USER_FEDERATION serves the vault and starts (or reports on) a consent session when it cannot.
 * Providers are read through a short-lived cache ({@link ResourceCaches}): a change on this node
 * applies at once, one on another node within the cache's TTL.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore/latest/APIReference/API_GetResourceOauth2Token.html">GetResourceOauth2Token</a>
 */
public final class ResourceTokenService {
    static final Set<String> STANDARD_PARAMETERS = Set.of("response_type", "client_id", "redirect_uri", "scope", "state",
            "code_challenge", "code_challenge_method", "nonce", "request_uri", "resource", "response_mode", "request");
    private static final Pattern PROVIDER = Pattern.compile("[a-zA-Z0-9\\-_]+");
    private static final Pattern CUSTOM_KEY = Pattern.compile("[a-zA-Z0-9\\-_.]+");
    private static final Pattern RETURN_URL = Pattern.compile("\\w+:(/?/?)[^\\s]+");
    private static final Duration M2M_MARGIN = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(ResourceTokenService.class);

    private final WorkloadAccessTokenService workloadTokens;
    private final WorkloadIdentityService workloads;
    private final Oauth2CredentialProviderService providers;
    private final ApiKeyCredentialProviderService apiKeys;
    private final UserTokenVault vault;
    private final AuthSessionService sessions;
    private final OAuthClient oauth;
    private final AuditLog audit;
    private final Clock clock;
    private final Cache<String, TokenSuccess> machineTokens;
    private final ReadCache<String, Oauth2CredentialProvider> cachedProviders;

    public ResourceTokenService(WorkloadAccessTokenService workloadTokens, WorkloadIdentityService workloads,
                                Oauth2CredentialProviderService providers, ApiKeyCredentialProviderService apiKeys,
                                UserTokenVault vault, AuthSessionService sessions, OAuthClient oauth, AuditLog audit,
                                Clock clock, ResourceCaches caches) {
        this.cachedProviders = caches.byName(Oauth2CredentialProviderService.KIND, 1_000);
        this.workloadTokens = Objects.requireNonNull(workloadTokens, "workloadTokens must not be null");
        this.workloads = Objects.requireNonNull(workloads, "workloads must not be null");
        this.providers = Objects.requireNonNull(providers, "providers must not be null");
        this.apiKeys = Objects.requireNonNull(apiKeys, "apiKeys must not be null");
        this.vault = Objects.requireNonNull(vault, "vault must not be null");
        this.sessions = Objects.requireNonNull(sessions, "sessions must not be null");
        this.oauth = Objects.requireNonNull(oauth, "oauth must not be null");
        this.audit = Objects.requireNonNull(audit, "audit must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.machineTokens = Caches.newBuilder().maximumSize(10_000).expireAfter(new UntilNearExpiry()).build();
    }

    /**
     * The answer: an access token, or a consent session to send the user through. {@code consentReason} is
     * Keygate's own and never on the wire: why a new consent session was started (the vault's reason, such as
     * {@code NO_GRANT}, or {@code NEEDS_REAUTH:invalid_grant} when the provider refused the refresh).
     */
    public record Result(String accessToken, String authorizationUrl, String sessionUri, String sessionStatus,
                         @com.fasterxml.jackson.annotation.JsonIgnore String consentReason) {
        public Result(String accessToken, String authorizationUrl, String sessionUri, String sessionStatus) {
            this(accessToken, authorizationUrl, sessionUri, sessionStatus, null);
        }

        @Override
        public String toString() {
            return "Result[" + (accessToken != null ? "accessToken" : sessionStatus) + "]";
        }
    }

    /** What the workload asks for. */
    public record Request(String workloadIdentityToken, String resourceCredentialProviderName, List<String> scopes,
                          String oauth2Flow, String sessionUri, String resourceOauth2ReturnUrl,
                          Boolean forceAuthentication, Map<String, String> customParameters, String customState,
                          List<String> resources, List<String> audiences) {
        @Override
        public String toString() {
            return "Request[" + resourceCredentialProviderName + ", " + oauth2Flow + "]";
        }
    }

    public Result getResourceOauth2Token(AccessKey caller, Request request) {
        validate(request);
        WorkloadAccessToken token = workloadTokens.open(caller, request.workloadIdentityToken());
        Oauth2CredentialProvider provider = cachedProviders.get(request.resourceCredentialProviderName(), providers::get);
        return switch (request.oauth2Flow()) {
            case "M2M" -> new Result(machineToken(token, provider, request), null, null, null);
            case "USER_FEDERATION" -> userToken(token, provider, request);
            default -> throw Errors.invalidField("oauth2Flow", "ON_BEHALF_OF_TOKEN_EXCHANGE is not supported by Keygate "
                    + "yet; use USER_FEDERATION or M2M");
        };
    }

    private void validate(Request request) {
        Validation validation = new Validation()
                .required("resourceCredentialProviderName", request.resourceCredentialProviderName(), 1, 128, PROVIDER)
                .required("oauth2Flow", request.oauth2Flow(), 1, 64, null)
                .oneOf("oauth2Flow", request.oauth2Flow(), List.of("USER_FEDERATION", "M2M", "ON_BEHALF_OF_TOKEN_EXCHANGE"))
                .optional("customState", request.customState(), 1, 4096, null)
                .optional("resourceOauth2ReturnUrl", request.resourceOauth2ReturnUrl(), 1, 2048,
                        RETURN_URL);
        if (request.scopes() == null) {
            validation.problem("scopes", "is required (it may be an empty list)");
        }
        if (request.customParameters() != null) {
            request.customParameters().forEach((key, value) -> {
                validation.required("customParameters." + key, key, 1, 256, CUSTOM_KEY)
                        .required("customParameters." + key, value, 1, 2048, null);
                if (STANDARD_PARAMETERS.contains(key)) {
                    validation.problem("customParameters." + key, "cannot override the standard OAuth parameter '" + key
                            + "'; Keygate sets it");
                }
            });
        }
        validation.throwIfInvalid();
    }

    private String machineToken(WorkloadAccessToken token, Oauth2CredentialProvider provider, Request request) {
        String key = provider.name() + "|" + provider.lastUpdatedTime() + "|" + new TreeSet<>(request.scopes()) + "|"
                + sorted(request.audiences()) + "|" + sorted(request.resources());
        TokenSuccess cached = machineTokens.getIfPresent(key);
        if (cached == null) {
            cached = clientCredentials(provider, request);
            machineTokens.put(key, cached);
        }
        audit.record("token-handed-out", token.workload(), provider.name(), null, null);
        return cached.accessToken();
    }

    private TokenSuccess clientCredentials(Oauth2CredentialProvider provider, Request request) {
        TokenResponse response;
        try {
            response = oauth.clientCredentials(providers.clientRegistration(provider.name()), request.scopes(),
                    orEmpty(request.audiences()), orEmpty(request.resources()));
        } catch (TransientTokenException | OutboundUrlException unavailable) {
            throw Errors.dependencyFailed("The token endpoint of '" + provider.name() + "' did not answer the client "
                    + "credentials request (" + unavailable.getMessage() + "); retry shortly", null, unavailable);
        }
        if (response instanceof TokenError error) {
            throw Errors.accessDenied("The token endpoint of '" + provider.name() + "' refused the client credentials "
                    + "grant with '" + error.error() + "': check the provider's clientId, clientSecret and the scopes");
        }
        return (TokenSuccess) response;
    }

    private Result userToken(WorkloadAccessToken token, Oauth2CredentialProvider provider, Request request) {
        if (token.principalKey() == null) {
            throw Errors.invalidField("workloadIdentityToken", "carries no user: USER_FEDERATION needs a token from "
                    + "GetWorkloadAccessTokenForJWT or GetWorkloadAccessTokenForUserId");
        }
        if (request.sessionUri() != null && !Boolean.TRUE.equals(request.forceAuthentication())) {
            Optional<Result> polled = poll(token, provider, request.sessionUri());
            if (polled.isPresent()) {
                return polled.get();
            }
        }
        String consentReason = "FORCED";
        if (!Boolean.TRUE.equals(request.forceAuthentication())) {
            UserTokenVault.Lookup lookup = fromVault(token, provider, request.scopes());
            if (lookup instanceof UserTokenVault.Hit hit) {
                return new Result(hit.accessToken(), null, null, null);
            }
            consentReason = ((UserTokenVault.Miss) lookup).reason();
        }
        String returnUrl = AuthSessionService.checkReturnUrl(workloads.get(token.workload()),
                request.resourceOauth2ReturnUrl());
        AuthSessionService.Started started = sessions.start(token, new AuthSessionService.Request(provider.name(),
                request.scopes(), returnUrl, request.customParameters(), request.customState(),
                orEmpty(request.resources()), orEmpty(request.audiences())));
        return new Result(null, started.authorizationUrl(), started.sessionUri(), "IN_PROGRESS", consentReason);
    }

    /**
     * The user's vaulted token for a provider (refreshed when due), or empty; never starts a consent
     * session. For work done on a user's behalf without the user waiting on a link, such as listing a
     * target's tools, which must not leave a session behind on every call.
     */
    public Optional<String> vaultedUserToken(AccessKey caller, String workloadIdentityToken, String providerName,
                                             List<String> scopes) {
        WorkloadAccessToken token = workloadTokens.open(caller, workloadIdentityToken);
        if (token.principalKey() == null) {
            throw Errors.invalidField("workloadIdentityToken", "carries no user: a vaulted user token needs a token "
                    + "from GetWorkloadAccessTokenForJWT or GetWorkloadAccessTokenForUserId");
        }
        Oauth2CredentialProvider provider = cachedProviders.get(providerName, providers::get);
        return fromVault(token, provider, scopes) instanceof UserTokenVault.Hit hit
                ? Optional.of(hit.accessToken()) : Optional.empty();
    }

    /** The vault's answer, audited: a hit as a token handed out, a dead grant with why it needs re-consent. */
    private UserTokenVault.Lookup fromVault(WorkloadAccessToken token, Oauth2CredentialProvider provider,
                                            List<String> scopes) {
        UserTokenVault.Lookup lookup = vault.accessToken(token.workload(), token.principalKey(), provider.name(), scopes);
        if (lookup instanceof UserTokenVault.Hit) {
            audit.record("token-handed-out", token.workload(), provider.name(), kind(token), null);
        } else {
            reportReconsent(token, provider, (UserTokenVault.Miss) lookup);
        }
        return lookup;
    }

    /**
     * The stored grant is dead (security.md TV-6, F2, F3): the audit trail records why, so the user and the
     * operator can tell a revocation from a lost refresh answer or a broken client secret.
     */
    private void reportReconsent(WorkloadAccessToken token, Oauth2CredentialProvider provider, UserTokenVault.Miss miss) {
        if (miss.reconsentReason() != null) {
            LOG.info("Consent needed again for provider {} and workload {}: {}", provider.name(), token.workload(),
                    miss.message());
            audit.record("reconsent-required", token.workload(), provider.name(), kind(token), miss.reconsentReason());
        }
    }

    /** Polling with a sessionUri: the token once completed, FAILED when dead, else still IN_PROGRESS. */
    private Optional<Result> poll(WorkloadAccessToken token, Oauth2CredentialProvider provider, String sessionUri) {
        Optional<AuthSession> session = sessions.forPolling(token, provider.name(), sessionUri);
        if (session.isEmpty()) {
            throw Errors.invalidField("sessionUri", "no session with this sessionUri belongs to this workload, user and "
                    + "provider; pass the sessionUri returned for this same request, or omit it to start a new session");
        }
        if (sessions.isDead(session.get())) {
            return Optional.of(new Result(null, null, sessionUri, "FAILED"));
        }
        if (session.get().status() != io.keygate.identity.session.AuthSessionStatus.COMPLETED) {
            return Optional.of(new Result(null, sessions.authorizationUrl(sessionUri), sessionUri, "IN_PROGRESS"));
        }
        return Optional.empty();
    }

    /** {@code GetResourceApiKey}. */
    public String getResourceApiKey(AccessKey caller, String workloadIdentityToken, String providerName) {
        new Validation().required("resourceCredentialProviderName", providerName, 1, 128, PROVIDER).throwIfInvalid();
        WorkloadAccessToken token = workloadTokens.open(caller, workloadIdentityToken);
        String apiKey = apiKeys.apiKey(providerName);
        audit.record("api-key-handed-out", token.workload(), providerName, kind(token), null);
        return apiKey;
    }

    private static String kind(WorkloadAccessToken token) {
        return token.principalKey() == null ? null : token.principalKey().startsWith("jwt:") ? "jwt" : "user-id";
    }

    private static List<String> orEmpty(List<String> values) {
        return values == null ? List.of() : values;
    }

    private static String sorted(List<String> values) {
        return values == null ? "[]" : new TreeSet<>(values).toString();
    }

    /** Cached client-credentials tokens live until a minute before they expire (one hour when unknown). */
    private final class UntilNearExpiry implements Expiry<String, TokenSuccess> {
        @Override
        public long expireAfterCreate(String key, TokenSuccess value, long currentTime) {
            Instant expiresAt = value.expiresAt() != null ? value.expiresAt() : clock.instant().plus(Duration.ofHours(1));
            return Math.max(0, Duration.between(clock.instant(), expiresAt.minus(M2M_MARGIN)).toNanos());
        }

        @Override
        public long expireAfterUpdate(String key, TokenSuccess value, long currentTime, long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
        }

        @Override
        public long expireAfterRead(String key, TokenSuccess value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
