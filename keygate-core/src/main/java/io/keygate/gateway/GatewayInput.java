package io.keygate.gateway;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * What a caller gives to CreateGateway and UpdateGateway, named as on the wire. {@code kmsKeyArn},
 * {@code interceptorConfigurations} and {@code policyEngineConfiguration} are carried only so that
 * {@link GatewayService} can refuse them with a clear message.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_UpdateGateway.html">UpdateGateway</a>
 */
public record GatewayInput(String name, String description, String roleArn, String protocolType,
                           GatewayProtocolConfiguration protocolConfiguration, String authorizerType,
                           AuthorizerConfiguration authorizerConfiguration, String kmsKeyArn,
                           JsonNode interceptorConfigurations, JsonNode policyEngineConfiguration,
                           String exceptionLevel, Map<String, String> tags) {

    /** MCP is the only protocol; AWS callers always send it, Keygate also accepts it omitted. */
    public String effectiveProtocolType() {
        return protocolType == null ? "MCP" : protocolType;
    }
}
