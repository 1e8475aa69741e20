package io.keygate.server.api.gateway;

import io.keygate.server.Services;
import io.keygate.server.api.Access;
import io.keygate.server.api.Operation;
import io.keygate.server.api.OperationHandler;
import io.keygate.server.api.auth.SigV4Verifier;
import io.keygate.server.http.RouteHandler;
import io.keygate.server.http.Router;

/**
 * The gateway control-plane part of the route table: the AWS RESTful {@code /gateways/…} paths, with
 * their trailing slashes, all for admin callers. Called from {@code ApiRoutes.register}.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_Operations.html">AgentCore Control operations</a>
 */
public final class GatewayRoutes {
    private GatewayRoutes() {
    }

    public static void register(Router<RouteHandler> router, Services services, SigV4Verifier verifier) {
        var gateways = services.gateways();
        var targets = services.gatewayTargets();
        var arns = services.arns();
        var publicUrl = services.publicUrl();
        // "/gateways/" and "/gateways/{gatewayIdentifier}/" cannot shadow each other: a parameter matches one non-empty segment
        add(router, verifier, "POST", "/gateways/", new CreateGatewayOperation(gateways, arns, publicUrl));
        add(router, verifier, "GET", "/gateways/", new ListGatewaysOperation(gateways));
        add(router, verifier, "GET", "/gateways/{gatewayIdentifier}/", new GetGatewayOperation(gateways, arns, publicUrl));
        add(router, verifier, "PUT", "/gateways/{gatewayIdentifier}/", new UpdateGatewayOperation(gateways, arns, publicUrl));
        add(router, verifier, "DELETE", "/gateways/{gatewayIdentifier}/", new DeleteGatewayOperation(gateways));

        add(router, verifier, "POST", "/gateways/{gatewayIdentifier}/targets/", new CreateGatewayTargetOperation(targets, arns));
        add(router, verifier, "GET", "/gateways/{gatewayIdentifier}/targets/", new ListGatewayTargetsOperation(targets));
        add(router, verifier, "GET", "/gateways/{gatewayIdentifier}/targets/{targetId}/", new GetGatewayTargetOperation(targets, arns));
        add(router, verifier, "PUT", "/gateways/{gatewayIdentifier}/targets/{targetId}/", new UpdateGatewayTargetOperation(targets, arns));
        add(router, verifier, "DELETE", "/gateways/{gatewayIdentifier}/targets/{targetId}/", new DeleteGatewayTargetOperation(targets, arns));
        add(router, verifier, "PUT", "/gateways/{gatewayIdentifier}/synchronizeTargets",
                new SynchronizeGatewayTargetsOperation(targets, arns));
    }

    private static void add(Router<RouteHandler> router, SigV4Verifier verifier, String method, String path,
                            Operation<?, ?> operation) {
        router.add(method, path, new OperationHandler<>(operation, Access.ADMIN, verifier));
    }
}
