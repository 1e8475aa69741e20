package io.keygate.server.api.gateway;

import io.keygate.config.Arns;
import io.keygate.gateway.GatewayTargetService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.util.Objects;

/**
 * {@code POST /gateways/{gatewayIdentifier}/targets/} → 202. The tools are found before the answer: a
 * target whose MCP server cannot be listed is still created, with status FAILED and the reason.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_CreateGatewayTarget.html">CreateGatewayTarget</a>
 */
public final class CreateGatewayTargetOperation implements Operation<GatewayTargetRequest, GatewayTargetOutput> {
    private final GatewayTargetService targets;
    private final Arns arns;

    public CreateGatewayTargetOperation(GatewayTargetService targets, Arns arns) {
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
        return GatewayTargetOutput.of(targets.create(input.gatewayIdentifier(), input.input()), arns);
    }
}
