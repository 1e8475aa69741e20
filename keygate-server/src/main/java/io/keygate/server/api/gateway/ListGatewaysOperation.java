package io.keygate.server.api.gateway;

import io.keygate.gateway.Gateway;
import io.keygate.gateway.GatewayService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.util.List;
import java.util.Objects;

/**
 * {@code GET /gateways/?maxResults=&nextToken=}, 1–1000 per page (100 when omitted).
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_ListGateways.html">ListGateways</a>
 */
public final class ListGatewaysOperation implements Operation<ListGatewaysOperation.Request, ListGatewaysOperation.Response> {
    private final GatewayService gateways;

    public ListGatewaysOperation(GatewayService gateways) {
        this.gateways = Objects.requireNonNull(gateways, "gateways must not be null");
    }

    /** The query parameters. */
    public record Request(String nextToken, Integer maxResults) {
    }

    /** One entry: the AWS {@code GatewaySummary}. */
    public record Summary(String gatewayId, String name, String status, String description, String createdAt,
                          String updatedAt, String authorizerType, String protocolType) {
        static Summary of(Gateway gateway) {
            return new Summary(gateway.gatewayId(), gateway.name(), gateway.status().name(), gateway.description(),
                    gateway.createdAt().toString(), gateway.updatedAt().toString(), gateway.authorizerType(),
                    gateway.protocolType());
        }
    }

    /** The response body. */
    public record Response(List<Summary> items, String nextToken) {
    }

    @Override
    public Class<Request> inputType() {
        return Request.class;
    }

    @Override
    public Response execute(Request input, Caller caller) {
        var page = gateways.list(input.nextToken(), input.maxResults());
        return new Response(page.items().stream().map(Summary::of).toList(), page.nextToken());
    }
}
