package io.keygate.identity.provider;

import io.keygate.error.Validation;
import io.keygate.oauth.ClientRegistration;
import io.keygate.store.Page;
import io.keygate.store.ResourceRepository;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Create, read, replace and delete OAuth2 credential providers. Checks the vendor against its config
 * member, resolves and verifies discovery documents, seals the client secret, never returns it.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_CreateOauth2CredentialProvider.html">CreateOauth2CredentialProvider</a>
 */
public final class Oauth2CredentialProviderService {
    public static final String KIND = "oauth2-credential-provider";
    static final List<String> AUTHENTICATION_METHODS = List.of("CLIENT_SECRET_BASIC", "CLIENT_SECRET_POST");

    private final ResourceRepository<Oauth2CredentialProvider> repository;
    private final VendorCatalogue vendors;
    private final MetadataResolver resolver;
    private final Clock clock;

    public Oauth2CredentialProviderService(ResourceRepository<Oauth2CredentialProvider> repository,
                                           VendorCatalogue vendors, MetadataResolver resolver, Clock clock) {
        this.repository = Objects.requireNonNull(repository, "repository must not be null");
        this.vendors = Objects.requireNonNull(vendors, "vendors must not be null");
        this.resolver = Objects.requireNonNull(resolver, "resolver must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    public Oauth2CredentialProvider create(Oauth2ProviderInput input) {
        Vendor vendor = validate(input);
        new Validation().tags("tags", input.tags()).throwIfInvalid();
        Instant now = clock.instant();
        Oauth2CredentialProvider provider = build(input, vendor, UUID.randomUUID().toString(),
                "oauth2/" + input.name() + "-" + ProviderNames.secretSuffix(), input.tags(), now, now);
        repository.create(input.name(), provider, emptyToNull(input.clientSecret()));
        return provider;
    }

    /** Full replace, as AWS: vendor and config are given again; name, callback URL and tags stay. */
    public Oauth2CredentialProvider update(Oauth2ProviderInput input) {
        Vendor vendor = validate(input);
        Oauth2CredentialProvider current = repository.get(input.name());
        Oauth2CredentialProvider updated = build(input, vendor, current.callbackId(), current.secretPath(),
                current.tags(), current.createdTime(), clock.instant());
        repository.replace(input.name(), updated, true, emptyToNull(input.clientSecret()));
        return updated;
    }

    public Oauth2CredentialProvider get(String name) {
        new Validation().required("name", name, 1, 128, ProviderNames.NAME).throwIfInvalid();
        return repository.get(name);
    }

    public java.util.Optional<Oauth2CredentialProvider> find(String name) {
        return repository.find(name);
    }

    /** How Keygate authenticates at the provider's token endpoint. */
    public ClientRegistration clientRegistration(String name) {
        Oauth2CredentialProvider provider = get(name);
        if (provider.metadata() == null || provider.metadata().tokenEndpoint() == null) {
            throw io.keygate.error.Errors.invalidField("resourceCredentialProviderName", "provider '" + name
                    + "' has no token endpoint; update it with a discovery URL or authorizationServerMetadata");
        }
        if (provider.clientId() == null || provider.clientId().isEmpty()) {
            throw io.keygate.error.Errors.invalidField("resourceCredentialProviderName", "provider '" + name
                    + "' has no clientId; update it with the client id registered at the identity provider");
        }
        String secret = clientSecret(name).orElse(null);
        String method = provider.clientAuthenticationMethod() != null ? provider.clientAuthenticationMethod()
                : ClientRegistration.preferredMethod(provider.metadata().tokenEndpointAuthMethods());
        return new ClientRegistration(provider.clientId(), secret, method, java.net.URI.create(provider.metadata().tokenEndpoint()));
    }

    public void delete(String name) {
        new Validation().required("name", name, 1, 128, ProviderNames.NAME).throwIfInvalid();
        repository.delete(name);
    }

    public Page<Oauth2CredentialProvider> list(String nextToken, Integer maxResults) {
        new Validation().range("maxResults", maxResults, 1, 20).throwIfInvalid();
        return repository.list(nextToken, maxResults == null ? 20 : maxResults);
    }

    /** The client secret, for token requests; empty when the client is public. */
    public java.util.Optional<String> clientSecret(String name) {
        return repository.secret(name);
    }

    private Oauth2CredentialProvider build(Oauth2ProviderInput input, Vendor vendor, String callbackId,
                                           String secretPath, java.util.Map<String, String> tags, Instant created,
                                           Instant updated) {
        AuthorizationServerMetadata metadata = input.discoveryUrl() != null
                ? resolver.resolve(member(input) + ".oauthDiscovery.discoveryUrl", input.discoveryUrl())
                : input.explicitMetadata() != null ? input.explicitMetadata() : vendor.metadata(input.tenantId());
        return new Oauth2CredentialProvider(input.name(), vendor.name(), vendor.configMember(), input.clientId(),
                input.clientAuthenticationMethod(), input.tenantId(), input.discoveryUrl(), metadata,
                input.onBehalfOfTokenExchangeConfig(), callbackId, secretPath, tags, created, updated);
    }

    private Vendor validate(Oauth2ProviderInput input) {
        Validation validation = new Validation()
                .required("name", input.name(), 1, 128, ProviderNames.NAME)
                .required("credentialProviderVendor", input.vendor(), 1, 64, null);
        validation.throwIfInvalid();
        Vendor vendor = vendors.find(input.vendor()).orElse(null);
        if (vendor == null) {
            validation.oneOf("credentialProviderVendor", input.vendor(), vendors.names()).throwIfInvalid();
        }
        if (input.configMember() == null) {
            validation.problem("oauth2ProviderConfigInput", "must hold exactly one member; for " + vendor.name()
                    + " give " + vendor.configMember()).throwIfInvalid();
        }
        if (!input.configMember().equals(vendor.configMember())) {
            validation.problem("oauth2ProviderConfigInput." + input.configMember(), "does not configure " + vendor.name()
                    + "; give " + vendor.configMember() + " instead").throwIfInvalid();
        }
        validateMember(validation, vendor, input);
        validation.throwIfInvalid();
        return vendor;
    }

    private static void validateMember(Validation validation, Vendor vendor, Oauth2ProviderInput input) {
        String member = member(input);
        if (vendor.isCustom()) {
            validation.optional(member + ".clientId", input.clientId(), 0, 256, null)
                    .optional(member + ".clientSecret", input.clientSecret(), 0, 2048, null)
                    .oneOf(member + ".clientAuthenticationMethod", input.clientAuthenticationMethod(), AUTHENTICATION_METHODS);
            if ((input.discoveryUrl() == null) == (input.explicitMetadata() == null)) {
                validation.problem(member + ".oauthDiscovery",
                        "must hold exactly one of discoveryUrl or authorizationServerMetadata");
            }
            validation.optional(member + ".oauthDiscovery.discoveryUrl", input.discoveryUrl(), 1, 2048,
                    java.util.regex.Pattern.compile(".+/\\.well-known/(openid-configuration|oauth-authorization-server)"));
            return;
        }
        validation.required(member + ".clientId", input.clientId(), 1, 256, null)
                .required(member + ".clientSecret", input.clientSecret(), 1, 2048, null)
                .optional(member + ".tenantId", input.tenantId(), 1, 2048, null);
        if (!vendor.hasFixedEndpoints() && input.explicitMetadata() == null) {
            validation.problem(member, vendor.name() + " endpoints are specific to your tenant: give issuer, "
                    + "authorizationEndpoint and tokenEndpoint");
        }
    }

    private static String member(Oauth2ProviderInput input) {
        return "oauth2ProviderConfigInput." + input.configMember();
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
