package io.keygate.identity.provider;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A named API key kept sealed in the token vault; this record holds everything but the key.
 *
 * @param secretPath the secret's path in its reported ARN ({@code apikey/<name>-<suffix>})
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_CreateApiKeyCredentialProvider.html">CreateApiKeyCredentialProvider</a>
 */
public record ApiKeyCredentialProvider(String name, String secretPath, Map<String, String> tags, Instant createdTime,
                                       Instant lastUpdatedTime) {
    public ApiKeyCredentialProvider {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(secretPath, "secretPath must not be null");
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public ApiKeyCredentialProvider withLastUpdatedTime(Instant now) {
        return new ApiKeyCredentialProvider(name, secretPath, tags, createdTime, now);
    }
}
