package io.keygate.server.api.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.config.Arns;
import io.keygate.gateway.CredentialProviderConfiguration;
import io.keygate.gateway.GatewayTarget;

import java.time.Instant;
import java.util.List;

/**
 * The response of Create-, Get- and UpdateGatewayTarget, and each entry of SynchronizeGatewayTargets.
 * The target configuration is returned exactly as it was given; the tools are not part of the AWS shape.
 * {@code authorizationData} (the consent URL of a *_PENDING_AUTH target) is not produced yet.
 */
record GatewayTargetOutput(String gatewayArn, String targetId, String createdAt, String updatedAt, String status,
                           List<String> statusReasons, String name, String description, JsonNode targetConfiguration,
                           List<CredentialProviderConfiguration> credentialProviderConfigurations,
                           JsonNode metadataConfiguration, String lastSynchronizedAt, String protocolType) {

    static GatewayTargetOutput of(GatewayTarget target, Arns arns) {
        return new GatewayTargetOutput(arns.gateway(target.gatewayId()), target.targetId(), iso(target.createdAt()),
                iso(target.updatedAt()), target.status().name(), target.statusReasons(), target.name(),
                target.description(), target.targetConfiguration(), target.credentialProviderConfigurations().isEmpty()
                ? null : target.credentialProviderConfigurations(), target.metadataConfiguration(),
                iso(target.lastSynchronizedAt()), "MCP");
    }

    static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
