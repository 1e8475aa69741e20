package io.keygate.server.api.gateway;

import io.keygate.config.Arns;
import io.keygate.gateway.GatewayService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.net.URI;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code PUT /gateways/{gatewayIdentifier}/} → 202: replaces the whole configuration (name, roleArn and
 * authorizerType are given again, as AWS requires); id, URL and workload identity stay.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_UpdateGateway.html">UpdateGateway</a>
 */
public final class UpdateGatewayOperation implements Operation<GatewayRequest, GatewayOutput> {
    private final GatewayService gateways;
    private final Arns arns;
    private final Supplier<URI> publicUrl;

    public UpdateGatewayOperation(GatewayService gateways, Arns arns, Supplier<URI> publicUrl) {
        this.gateways = Objects.requireNonNull(gateways, "gateways must not be null");
        this.arns = Objects.requireNonNull(arns, "arns must not be null");
        this.publicUrl = Objects.requireNonNull(publicUrl, "publicUrl must not be null");
    }

    @Override
    public Class<GatewayRequest> inputType() {
        return GatewayRequest.class;
    }

    @Override
    public int successStatus() {
        return 202;
    }

    @Override
    public GatewayOutput execute(GatewayRequest input, Caller caller) {
        return GatewayOutput.of(gateways.update(input.gatewayIdentifier(), input.input()), arns, publicUrl.get());
    }
}
