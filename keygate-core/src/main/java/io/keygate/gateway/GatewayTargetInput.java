package io.keygate.gateway;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * What a caller gives to CreateGatewayTarget and UpdateGatewayTarget, named as on the wire. The target
 * configuration stays JSON so that what is stored and returned is exactly what was sent.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_UpdateGatewayTarget.html">UpdateGatewayTarget</a>
 */
public record GatewayTargetInput(String name, String description, JsonNode targetConfiguration,
                                 List<CredentialProviderConfiguration> credentialProviderConfigurations,
                                 JsonNode metadataConfiguration) {
}
