package io.keygate.server.api.gateway;

import io.keygate.gateway.GatewayService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.util.List;
import java.util.Objects;

/**
 * {@code DELETE /gateways/{gatewayIdentifier}/} → 202 {@code {gatewayId, status: DELETING}}. The gateway
 * and its workload identity are gone when the call returns; a gateway with targets is refused.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_DeleteGateway.html">DeleteGateway</a>
 */
public final class DeleteGatewayOperation
        implements Operation<GatewayIdentifierRequest, DeleteGatewayOperation.Response> {
    private final GatewayService gateways;

    public DeleteGatewayOperation(GatewayService gateways) {
        this.gateways = Objects.requireNonNull(gateways, "gateways must not be null");
    }

    /** The response body. */
    public record Response(String gatewayId, String status, List<String> statusReasons) {
    }

    @Override
    public Class<GatewayIdentifierRequest> inputType() {
        return GatewayIdentifierRequest.class;
    }

    @Override
    public int successStatus() {
        return 202;
    }

    @Override
    public Response execute(GatewayIdentifierRequest input, Caller caller) {
        return new Response(gateways.delete(input.gatewayIdentifier()).gatewayId(), "DELETING", List.of());
    }
}
