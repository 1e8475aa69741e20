package io.keygate.server.api.gateway;

import io.keygate.config.Arns;
import io.keygate.gateway.GatewayTargetService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.util.Objects;

/**
 * {@code PUT /gateways/{gatewayIdentifier}/targets/{targetId}/} → 202: replaces the whole target and
 * finds its tools again.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_UpdateGatewayTarget.html">UpdateGatewayTarget</a>
 */
public final class UpdateGatewayTargetOperation implements Operation<GatewayTargetRequest, GatewayTargetOutput> {
    private final GatewayTargetService targets;
    private final Arns arns;

    public UpdateGatewayTargetOperation(GatewayTargetService targets, Arns arns) {
        this.targets = Objects.requireNonNull(targets, "targets must not be null");
        this.arns = Objects.requireNonNull(arns, "arns must not be null");
    }

    @Override
    public Class<GatewayTargetRequest> inputType() {
        return GatewayTargetRequest.class;
    }

    @Override
    public int successStatus() {
        return 202;
    }

    @Override
    public GatewayTargetOutput execute(GatewayTargetRequest input, Caller caller) {
        return GatewayTargetOutput.of(targets.update(input.gatewayIdentifier(), input.targetId(), input.input()), arns);
    }
}
