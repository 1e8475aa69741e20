package io.keygate.server.api.gateway;

/** The path of GetGatewayTarget and DeleteGatewayTarget: {@code /gateways/{gatewayIdentifier}/targets/{targetId}/}. */
public record GatewayTargetIdentifierRequest(String gatewayIdentifier, String targetId) {
}
