package io.keygate.server.api.gateway;

import io.keygate.config.Arns;
import io.keygate.gateway.AuthorizerConfiguration;
import io.keygate.gateway.Gateway;
import io.keygate.gateway.GatewayProtocolConfiguration;

import java.net.URI;
import java.util.List;

/**
 * The response of Create-, Get- and UpdateGateway. Gateway timestamps are ISO-8601 strings on the
 * wire (shape {@code DateTimestamp}), unlike the epoch seconds of the identity operations.
 */
record GatewayOutput(String gatewayArn, String gatewayId, String gatewayUrl, String createdAt, String updatedAt,
                     String status, List<String> statusReasons, String name, String description, String roleArn,
                     String protocolType, GatewayProtocolConfiguration protocolConfiguration, String authorizerType,
                     AuthorizerConfiguration authorizerConfiguration, WorkloadIdentityDetails workloadIdentityDetails,
                     String exceptionLevel) {

    /** The workload identity the gateway acts as towards its targets. */
    record WorkloadIdentityDetails(String workloadIdentityArn) {
    }

    static GatewayOutput of(Gateway gateway, Arns arns, URI publicUrl) {
        return new GatewayOutput(arns.gateway(gateway.gatewayId()), gateway.gatewayId(), gatewayUrl(publicUrl, gateway),
                gateway.createdAt().toString(), gateway.updatedAt().toString(), gateway.status().name(),
                gateway.statusReasons(), gateway.name(), gateway.description(), gateway.roleArn(), gateway.protocolType(),
                gateway.protocolConfiguration(), gateway.authorizerType(), gateway.authorizerConfiguration(),
                new WorkloadIdentityDetails(arns.workloadIdentity(gateway.workloadIdentityName())),
                gateway.exceptionLevel());
    }

    /** Where MCP clients reach the gateway: {@code {publicUrl}/gateways/{gatewayId}/mcp}. */
    static String gatewayUrl(URI publicUrl, Gateway gateway) {
        String base = publicUrl.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/gateways/" + gateway.gatewayId() + "/mcp";
    }
}
