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
 * state and is not part of the AWS output shape. {@code authorization} is set on OAuth
 * AUTHORIZATION_CODE targets whose tools are listed from the server: the synthetic user an
 * administrator consents as, and while the target waits for that consent, the URL to open (the AWS
 * {@code authorizationData.oauth2}).
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_CreateGatewayTarget.html">CreateGatewayTarget</a>
 */
public record GatewayTarget(String targetId, String gatewayId, String name, String description,
                            JsonNode targetConfiguration,
                            List<CredentialProviderConfiguration> credentialProviderConfigurations,
                            JsonNode metadataConfiguration, Status status, List<String> statusReasons,
                            Instant lastSynchronizedAt, Instant createdAt, Instant updatedAt,
                            List<ToolDefinition> tools, Oauth2Authorization authorization) {

    /** The AWS {@code TargetStatus} values. */
    public enum Status {
        CREATING, UPDATING, UPDATE_UNSUCCESSFUL, DELETING, READY, FAILED, SYNCHRONIZING, SYNCHRONIZE_UNSUCCESSFUL,
        CREATE_PENDING_AUTH, UPDATE_PENDING_AUTH, SYNCHRONIZE_PENDING_AUTH
    }

    /**
     * The administrator consent behind an AUTHORIZATION_CODE target's tool listing.
     *
     * @param userId           {@code {gatewayId}_{targetId}_{random}}: the user id the consent is bound to
     * @param authorizationUrl where to consent while the target is *_PENDING_AUTH, else null
     */
    public record Oauth2Authorization(String userId, String authorizationUrl) {
        public Oauth2Authorization {
            Objects.requireNonNull(userId, "userId must not be null");
        }
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

    /** Whether {@code tools/list} asks the MCP server each time ({@code mcpServer.listingMode} DYNAMIC). */
    public boolean listsDynamically() {
        return targetConfiguration != null
                && "DYNAMIC".equals(targetConfiguration.path("mcp").path("mcpServer").path("listingMode").asText(null));
    }

    /** Whether the target waits for an administrator's consent (CREATE_, UPDATE_ or SYNCHRONIZE_PENDING_AUTH). */
    public boolean isPendingAuth() {
        return status == Status.CREATE_PENDING_AUTH || status == Status.UPDATE_PENDING_AUTH
                || status == Status.SYNCHRONIZE_PENDING_AUTH;
    }

    /** The outcome of a tool listing applied to this target; the consent URL is kept only while consent is pending. */
    public GatewayTarget withDiscovery(TargetDiscovery discovery, Instant now) {
        return new GatewayTarget(targetId, gatewayId, name, description, targetConfiguration,
                credentialProviderConfigurations, metadataConfiguration, discovery.status(), discovery.statusReasons(),
                discovery.synchronizedAt() != null ? discovery.synchronizedAt() : lastSynchronizedAt, createdAt, now,
                discovery.tools() != null ? discovery.tools() : tools, authorization == null ? null
                : new Oauth2Authorization(authorization.userId(), discovery.authorizationUrl()));
    }

    /** The same target with the user id its administrator consents as. */
    GatewayTarget withAuthorizationUser(String userId) {
        return new GatewayTarget(targetId, gatewayId, name, description, targetConfiguration,
                credentialProviderConfigurations, metadataConfiguration, status, statusReasons, lastSynchronizedAt,
                createdAt, updatedAt, tools, new Oauth2Authorization(userId, null));
    }
}
