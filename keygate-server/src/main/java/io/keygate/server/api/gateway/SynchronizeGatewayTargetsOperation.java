package io.keygate.server.api.gateway;

import io.keygate.config.Arns;
import io.keygate.gateway.GatewayTargetService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.util.List;
import java.util.Objects;

/**
 * {@code PUT /gateways/{gatewayIdentifier}/synchronizeTargets} → 202: lists the tools of one MCP server
 * target again. Targets with an inline schema are refused, as at AWS.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_SynchronizeGatewayTargets.html">SynchronizeGatewayTargets</a>
 */
public final class SynchronizeGatewayTargetsOperation
        implements Operation<SynchronizeGatewayTargetsOperation.Request, SynchronizeGatewayTargetsOperation.Response> {
    private final GatewayTargetService targets;
    private final Arns arns;

    public SynchronizeGatewayTargetsOperation(GatewayTargetService targets, Arns arns) {
        this.targets = Objects.requireNonNull(targets, "targets must not be null");
        this.arns = Objects.requireNonNull(arns, "arns must not be null");
    }

    /** The path parameter and the body: exactly one target id. */
    public record Request(String gatewayIdentifier, List<String> targetIdList) {
    }

    /** The response body. */
    public record Response(List<GatewayTargetOutput> targets) {
    }

    @Override
    public Class<Request> inputType() {
        return Request.class;
    }

    @Override
    public int successStatus() {
        return 202;
    }

    @Override
    public Response execute(Request input, Caller caller) {
        return new Response(targets.synchronize(input.gatewayIdentifier(), input.targetIdList()).stream()
                .map(target -> GatewayTargetOutput.of(target, arns)).toList());
    }
}
