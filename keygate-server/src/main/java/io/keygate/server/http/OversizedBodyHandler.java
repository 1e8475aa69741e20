package io.keygate.server.http;

import java.util.Objects;

/**
 * A route that answers an oversized body itself: the servlet hands it the first bytes beyond the limit
 * (never more) instead of refusing the request with the AWS error, so the MCP endpoint can answer 413
 * with a JSON-RPC error body (security.md B2).
 */
public record OversizedBodyHandler(RouteHandler handler) implements RouteHandler {
    public OversizedBodyHandler {
        Objects.requireNonNull(handler, "handler must not be null");
    }

    @Override
    public ApiResponse handle(ApiRequest request) throws Exception {
        return handler.handle(request);
    }
}
