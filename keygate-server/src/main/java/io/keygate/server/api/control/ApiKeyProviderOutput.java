package io.keygate.server.api.control;

import io.keygate.config.Arns;
import io.keygate.identity.provider.ApiKeyCredentialProvider;

import java.time.Instant;
import java.util.Map;

/** The response of Create-, Get- and UpdateApiKeyCredentialProvider; never the key itself. */
record ApiKeyProviderOutput(Map<String, String> apiKeySecretArn, String name, String credentialProviderArn,
                            Instant createdTime, Instant lastUpdatedTime) {

    static ApiKeyProviderOutput of(ApiKeyCredentialProvider provider, Arns arns) {
        return new ApiKeyProviderOutput(Map.of("secretArn", arns.secret(provider.secretPath())), provider.name(),
                arns.apiKeyCredentialProvider(provider.name()), provider.createdTime(), provider.lastUpdatedTime());
    }
}
