package io.keygate.gateway;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An MCP gateway: one endpoint ({@code {publicUrl}/gateways/{gatewayId}/mcp}) that aggregates the tools
 * of its targets, with its inbound authorizer and the workload identity it acts as towards targets
 * (named like the gateway id, created and deleted with it).
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_CreateGateway.html">CreateGateway</a>
 */
public record Gateway(String gatewayId, String name, String description, String roleArn, String protocolType,
                      GatewayProtocolConfiguration protocolConfiguration, String authorizerType,
                      AuthorizerConfiguration authorizerConfiguration, String exceptionLevel,
                      String workloadIdentityName, Map<String, String> tags, Status status,
                      List<String> statusReasons, Instant createdAt, Instant updatedAt) {

    /** The AWS {@code GatewayStatus} values; Keygate applies changes synchronously, so it reports READY. */
    public enum Status { CREATING, UPDATING, UPDATE_UNSUCCESSFUL, DELETING, READY, FAILED }

    public Gateway {
        Objects.requireNonNull(gatewayId, "gatewayId must not be null");
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(status, "status must not be null");
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        statusReasons = statusReasons == null ? List.of() : List.copyOf(statusReasons);
    }

    /** This gateway with the configuration of {@code input} (AWS UpdateGateway replaces it whole). */
    public Gateway withInput(GatewayInput input, Instant now) {
        return new Gateway(gatewayId, input.name(), input.description(), input.roleArn(), input.effectiveProtocolType(),
                input.protocolConfiguration(), input.authorizerType(), input.authorizerConfiguration(),
                input.exceptionLevel(), workloadIdentityName, tags, Status.READY, List.of(), createdAt, now);
    }
}
