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
 * {@code authorizationData.oauth2} is present while a target waits for its administrator's consent.
 */
record GatewayTargetOutput(String gatewayArn, String targetId, String createdAt, String updatedAt, String status,
                           List<String> statusReasons, String name, String description, JsonNode targetConfiguration,
                           List<CredentialProviderConfiguration> credentialProviderConfigurations,
                           JsonNode metadataConfiguration, String lastSynchronizedAt, String protocolType,
                           AuthorizationData authorizationData) {

    /** The AWS {@code AuthorizationData} union; Keygate fills its {@code oauth2} member. */
    record AuthorizationData(Oauth2 oauth2) {
    }

    /** Where the administrator consents, and the user id to complete the session with. */
    record Oauth2(String authorizationUrl, String userId) {
    }

    static GatewayTargetOutput of(GatewayTarget target, Arns arns) {
        return new GatewayTargetOutput(arns.gateway(target.gatewayId()), target.targetId(), iso(target.createdAt()),
                iso(target.updatedAt()), target.status().name(), target.statusReasons(), target.name(),
                target.description(), target.targetConfiguration(), target.credentialProviderConfigurations().isEmpty()
                ? null : target.credentialProviderConfigurations(), target.metadataConfiguration(),
                iso(target.lastSynchronizedAt()), "MCP", authorizationData(target));
    }

    private static AuthorizationData authorizationData(GatewayTarget target) {
        GatewayTarget.Oauth2Authorization authorization = target.authorization();
        return authorization == null || authorization.authorizationUrl() == null || !target.isPendingAuth() ? null
                : new AuthorizationData(new Oauth2(authorization.authorizationUrl(), authorization.userId()));
    }

    static String iso(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
