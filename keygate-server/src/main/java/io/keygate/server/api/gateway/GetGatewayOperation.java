package io.keygate.server.api.gateway;

import io.keygate.config.Arns;
import io.keygate.gateway.GatewayService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.net.URI;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code GET /gateways/{gatewayIdentifier}/}; the identifier is the gateway id or its ARN.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_GetGateway.html">GetGateway</a>
 */
public final class GetGatewayOperation implements Operation<GatewayIdentifierRequest, GatewayOutput> {
    private final GatewayService gateways;
    private final Arns arns;
    private final Supplier<URI> publicUrl;

    public GetGatewayOperation(GatewayService gateways, Arns arns, Supplier<URI> publicUrl) {
        this.gateways = Objects.requireNonNull(gateways, "gateways must not be null");
        this.arns = Objects.requireNonNull(arns, "arns must not be null");
        this.publicUrl = Objects.requireNonNull(publicUrl, "publicUrl must not be null");
    }

    @Override
    public Class<GatewayIdentifierRequest> inputType() {
        return GatewayIdentifierRequest.class;
    }

    @Override
    public GatewayOutput execute(GatewayIdentifierRequest input, Caller caller) {
        return GatewayOutput.of(gateways.get(input.gatewayIdentifier()), arns, publicUrl.get());
    }
}
