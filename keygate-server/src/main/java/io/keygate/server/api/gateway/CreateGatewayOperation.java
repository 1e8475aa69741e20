package io.keygate.server.api.gateway;

import io.keygate.config.Arns;
import io.keygate.gateway.GatewayService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.net.URI;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code POST /gateways/} → 202, with the gateway already READY (Keygate creates it synchronously).
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_CreateGateway.html">CreateGateway</a>
 */
public final class CreateGatewayOperation implements Operation<GatewayRequest, GatewayOutput> {
    private final GatewayService gateways;
    private final Arns arns;
    private final Supplier<URI> publicUrl;

    public CreateGatewayOperation(GatewayService gateways, Arns arns, Supplier<URI> publicUrl) {
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
        return GatewayOutput.of(gateways.create(input.input()), arns, publicUrl.get());
    }
}
