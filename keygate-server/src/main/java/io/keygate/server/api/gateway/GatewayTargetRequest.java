package io.keygate.server.api.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.gateway.CredentialProviderConfiguration;
import io.keygate.gateway.GatewayTargetInput;

import java.util.List;

/**
 * The body of CreateGatewayTarget and UpdateGatewayTarget, with the path's {@code gatewayIdentifier}
 * (and {@code targetId} for updates).
 */
public record GatewayTargetRequest(String gatewayIdentifier, String targetId, String clientToken, String name,
                                   String description, JsonNode targetConfiguration,
                                   List<CredentialProviderConfiguration> credentialProviderConfigurations,
                                   JsonNode metadataConfiguration) {

    GatewayTargetInput input() {
        return new GatewayTargetInput(name, description, targetConfiguration, credentialProviderConfigurations,
                metadataConfiguration);
    }
}
