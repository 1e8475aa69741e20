package io.keygate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.gateway.mcp.ToolDefinition;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One target of a gateway: where its tools come from ({@code targetConfiguration}, kept as the caller
 * sent it), how Keygate authenticates towards it, and the tools it offers ({@code tools}: listed from
 * an MCP server, derived from an OpenAPI document, or given inline). {@code tools} is Keygate's own
 * state and is not part of the AWS output shape.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_CreateGatewayTarget.html">CreateGatewayTarget</a>
 */
public record GatewayTarget(String targetId, String gatewayId, String name, String description,
                            JsonNode targetConfiguration,
                            List<CredentialProviderConfiguration> credentialProviderConfigurations,
                            JsonNode metadataConfiguration, Status status, List<String> statusReasons,
                            Instant lastSynchronizedAt, Instant createdAt, Instant updatedAt,
                            List<ToolDefinition> tools) {

    /** The AWS {@code TargetStatus} values. */
    public enum Status {
        CREATING, UPDATING, UPDATE_UNSUCCESSFUL, DELETING, READY, FAILED, SYNCHRONIZING, SYNCHRONIZE_UNSUCCESSFUL,
        CREATE_PENDING_AUTH, UPDATE_PENDING_AUTH, SYNCHRONIZE_PENDING_AUTH
    }

    public GatewayTarget {
        Objects.requireNonNull(targetId, "targetId must not be null");
        Objects.requireNonNull(gatewayId, "gatewayId must not be null");
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(status, "status must not be null");
        credentialProviderConfigurations = credentialProviderConfigurations == null ? List.of()
                : List.copyOf(credentialProviderConfigurations);
        statusReasons = statusReasons == null ? List.of() : List.copyOf(statusReasons);
        tools = tools == null ? List.of() : List.copyOf(tools);
    }

    /** The store key: targets are kept under their gateway, so a prefix scan finds one gateway's targets. */
    static String key(String gatewayId, String targetId) {
        return gatewayId + "/" + targetId;
    }

    /** The outcome of a tool listing applied to this target. */
    public GatewayTarget withDiscovery(TargetDiscovery discovery, Instant now) {
        return new GatewayTarget(targetId, gatewayId, name, description, targetConfiguration,
                credentialProviderConfigurations, metadataConfiguration, discovery.status(), discovery.statusReasons(),
                discovery.synchronizedAt() != null ? discovery.synchronizedAt() : lastSynchronizedAt, createdAt, now,
                discovery.tools() != null ? discovery.tools() : tools);
    }
}
