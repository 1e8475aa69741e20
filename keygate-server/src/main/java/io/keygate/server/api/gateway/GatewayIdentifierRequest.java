package io.keygate.server.api.gateway;

/** The path of GetGateway and DeleteGateway: {@code /gateways/{gatewayIdentifier}/}. */
public record GatewayIdentifierRequest(String gatewayIdentifier) {
}
