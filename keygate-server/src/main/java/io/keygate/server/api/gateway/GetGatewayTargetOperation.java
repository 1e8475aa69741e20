package io.keygate.server.api.gateway;

import io.keygate.config.Arns;
import io.keygate.gateway.GatewayTargetService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.util.Objects;

/**
 * {@code GET /gateways/{gatewayIdentifier}/targets/{targetId}/}.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_GetGatewayTarget.html">GetGatewayTarget</a>
 */
public final class GetGatewayTargetOperation implements Operation<GatewayTargetIdentifierRequest, GatewayTargetOutput> {
    private final GatewayTargetService targets;
    private final Arns arns;

    public GetGatewayTargetOperation(GatewayTargetService targets, Arns arns) {
        this.targets = Objects.requireNonNull(targets, "targets must not be null");
        this.arns = Objects.requireNonNull(arns, "arns must not be null");
    }

    @Override
    public Class<GatewayTargetIdentifierRequest> inputType() {
        return GatewayTargetIdentifierRequest.class;
    }

    @Override
    public GatewayTargetOutput execute(GatewayTargetIdentifierRequest input, Caller caller) {
        return GatewayTargetOutput.of(targets.get(input.gatewayIdentifier(), input.targetId()), arns);
    }
}
