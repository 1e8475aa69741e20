package io.keygate.server.api.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.gateway.AuthorizerConfiguration;
import io.keygate.gateway.GatewayInput;
import io.keygate.gateway.GatewayProtocolConfiguration;

import java.util.Map;

/**
 * The body of CreateGateway and UpdateGateway (with the path's {@code gatewayIdentifier} for updates).
 * {@code clientToken} is accepted; Keygate does not deduplicate retried creates by it yet.
 */
public record GatewayRequest(String gatewayIdentifier, String clientToken, String name, String description,
                             String roleArn, String protocolType, GatewayProtocolConfiguration protocolConfiguration,
                             String authorizerType, AuthorizerConfiguration authorizerConfiguration, String kmsKeyArn,
                             JsonNode interceptorConfigurations, JsonNode policyEngineConfiguration,
                             String exceptionLevel, Map<String, String> tags) {

    GatewayInput input() {
        return new GatewayInput(name, description, roleArn, protocolType, protocolConfiguration, authorizerType,
                authorizerConfiguration, kmsKeyArn, interceptorConfigurations, policyEngineConfiguration, exceptionLevel,
                tags);
    }
}
