package io.keygate.identity.provider;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * An OAuth2 client registration at one authorization server, everything but the client secret
 * (sealed beside it).
 *
 * @param configMember    the AWS union member it was configured with, echoed in outputs
 * @param discoveryUrl    the discovery URL when configured by one, else null
 * @param metadata        the endpoints in use (resolved from discovery, given inline, or built in)
 * @param callbackId      the id in {@code callbackUrl}: the redirect URI to register at the IdP
 * @param secretPath      the client secret's path in its reported ARN
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_CreateOauth2CredentialProvider.html">CreateOauth2CredentialProvider</a>
 */
public record Oauth2CredentialProvider(String name, String vendor, String configMember, String clientId,
                                       String clientAuthenticationMethod, String tenantId, String discoveryUrl,
                                       AuthorizationServerMetadata metadata,
                                       Map<String, Object> onBehalfOfTokenExchangeConfig, String callbackId,
                                       String secretPath, Map<String, String> tags, Instant createdTime,
                                       Instant lastUpdatedTime) {
    public Oauth2CredentialProvider {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(vendor, "vendor must not be null");
        Objects.requireNonNull(callbackId, "callbackId must not be null");
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }
}
