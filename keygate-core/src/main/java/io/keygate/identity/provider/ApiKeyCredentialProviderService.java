package io.keygate.identity.provider;

import io.keygate.error.Validation;
import io.keygate.store.Page;
import io.keygate.store.ResourceRepository;

import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * Create, read, replace and delete API-key credential providers. The key is sealed at rest and never
 * returned by these operations (only {@code GetResourceApiKey} hands it to a workload).
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_CreateApiKeyCredentialProvider.html">CreateApiKeyCredentialProvider</a>
 */
public final class ApiKeyCredentialProviderService {
    public static final String KIND = "api-key-credential-provider";

    private final ResourceRepository<ApiKeyCredentialProvider> repository;
    private final Clock clock;

    public ApiKeyCredentialProviderService(ResourceRepository<ApiKeyCredentialProvider> repository, Clock clock) {
        this.repository = Objects.requireNonNull(repository, "repository must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    public ApiKeyCredentialProvider create(String name, String apiKey, Map<String, String> tags) {
        new Validation().required("name", name, 1, 128, ProviderNames.NAME)
                .required("apiKey", apiKey, 1, 65536, null)
                .tags("tags", tags)
                .throwIfInvalid();
        var now = clock.instant();
        ApiKeyCredentialProvider provider = new ApiKeyCredentialProvider(name,
                "apikey/" + name + "-" + ProviderNames.secretSuffix(), tags, now, now);
        repository.create(name, provider, apiKey);
        return provider;
    }

    public ApiKeyCredentialProvider get(String name) {
        new Validation().required("name", name, 1, 128, ProviderNames.NAME).throwIfInvalid();
        return repository.get(name);
    }

    public java.util.Optional<ApiKeyCredentialProvider> find(String name) {
        return repository.find(name);
    }

    public ApiKeyCredentialProvider update(String name, String apiKey) {
        new Validation().required("name", name, 1, 128, ProviderNames.NAME)
                .required("apiKey", apiKey, 1, 65536, null)
                .throwIfInvalid();
        ApiKeyCredentialProvider updated = repository.get(name).withLastUpdatedTime(clock.instant());
        repository.replace(name, updated, true, apiKey);
        return updated;
    }

    public void delete(String name) {
        new Validation().required("name", name, 1, 128, ProviderNames.NAME).throwIfInvalid();
        repository.delete(name);
    }

    public Page<ApiKeyCredentialProvider> list(String nextToken, Integer maxResults) {
        new Validation().range("maxResults", maxResults, 1, 100).throwIfInvalid();
        return repository.list(nextToken, maxResults == null ? 100 : maxResults);
    }

    /** The API key itself, for {@code GetResourceApiKey}. */
    public String apiKey(String name) {
        return repository.secret(name).orElseThrow();
    }
}
