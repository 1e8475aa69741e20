package io.keygate.server.api.gateway;

import io.keygate.gateway.GatewayTarget;
import io.keygate.gateway.GatewayTargetService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.util.List;
import java.util.Objects;

/**
 * {@code GET /gateways/{gatewayIdentifier}/targets/?maxResults=&nextToken=}, 1–1000 per page (100 when omitted).
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_ListGatewayTargets.html">ListGatewayTargets</a>
 */
public final class ListGatewayTargetsOperation
        implements Operation<ListGatewayTargetsOperation.Request, ListGatewayTargetsOperation.Response> {
    private final GatewayTargetService targets;

    public ListGatewayTargetsOperation(GatewayTargetService targets) {
        this.targets = Objects.requireNonNull(targets, "targets must not be null");
    }

    /** The path and query parameters. */
    public record Request(String gatewayIdentifier, String nextToken, Integer maxResults) {
    }

    /** One entry: the AWS {@code TargetSummary}. */
    public record Summary(String targetId, String name, String status, String description, String createdAt,
                          String updatedAt) {
        static Summary of(GatewayTarget target) {
            return new Summary(target.targetId(), target.name(), target.status().name(), target.description(),
                    target.createdAt().toString(), target.updatedAt().toString());
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
        var page = targets.list(input.gatewayIdentifier(), input.nextToken(), input.maxResults());
        return new Response(page.items().stream().map(Summary::of).toList(), page.nextToken());
    }
}
