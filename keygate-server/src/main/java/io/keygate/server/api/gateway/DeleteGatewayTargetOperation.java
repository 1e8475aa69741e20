package io.keygate.server.api.gateway;

import io.keygate.config.Arns;
import io.keygate.gateway.GatewayTargetService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.util.List;
import java.util.Objects;

/**
 * {@code DELETE /gateways/{gatewayIdentifier}/targets/{targetId}/} → 202 {@code {gatewayArn, targetId,
 * status: DELETING}}; the target is gone when the call returns.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_DeleteGatewayTarget.html">DeleteGatewayTarget</a>
 */
public final class DeleteGatewayTargetOperation
        implements Operation<GatewayTargetIdentifierRequest, DeleteGatewayTargetOperation.Response> {
    private final GatewayTargetService targets;
    private final Arns arns;

    public DeleteGatewayTargetOperation(GatewayTargetService targets, Arns arns) {
        this.targets = Objects.requireNonNull(targets, "targets must not be null");
        this.arns = Objects.requireNonNull(arns, "arns must not be null");
    }

    /** The response body. */
    public record Response(String gatewayArn, String targetId, String status, List<String> statusReasons) {
    }

    @Override
    public Class<GatewayTargetIdentifierRequest> inputType() {
        return GatewayTargetIdentifierRequest.class;
    }

    @Override
    public int successStatus() {
        return 202;
    }

    @Override
    public Response execute(GatewayTargetIdentifierRequest input, Caller caller) {
        var deleted = targets.delete(input.gatewayIdentifier(), input.targetId());
        return new Response(arns.gateway(deleted.gatewayId()), deleted.targetId(), "DELETING", List.of());
    }
}
