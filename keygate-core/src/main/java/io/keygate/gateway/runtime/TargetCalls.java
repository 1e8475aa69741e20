package io.keygate.gateway.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import io.keygate.cache.Caches;
import io.keygate.gateway.GatewayTarget;
import io.keygate.gateway.LambdaCaller;
import io.keygate.gateway.McpToolCaller;
import io.keygate.gateway.OpenApiCaller;
import io.keygate.gateway.TargetCallException;
import io.keygate.gateway.TargetLimits;
import io.keygate.gateway.TargetLimitsService;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;

/**
 * Sends one tool call to its target, whatever the kind (MCP server, OpenAPI, Lambda), with the
 * outbound credential attached and within the target's effective {@link TargetLimits}. Each call is
 * bounded in time, and each target has a bulkhead on this node: beyond {@code maxConcurrentCalls}
 * calls in progress, another is refused at once instead of taking a request thread, so a slow target
 * holds up only the calls to it (security.md GW-7, F14).
 */
public final class TargetCalls {
    private final McpToolCaller mcp;
    private final OpenApiCaller openApi;
    private final LambdaCaller lambda;
    private final TargetLimitsService limits;
    /** Parsed MCP endpoints: parsing the same URL on every call showed in the gateway benchmark's profile. */
    private final Cache<String, URI> endpoints = Caches.newBuilder().maximumSize(10_000).build();
    /** Per target and cap; kept while used, so that a changed cap starts a new count. */
    private final Cache<String, Semaphore> bulkheads = Caches.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(30)).build();

    public TargetCalls(McpToolCaller mcp, OpenApiCaller openApi, LambdaCaller lambda, TargetLimitsService limits) {
        this.mcp = Objects.requireNonNull(mcp, "mcp must not be null");
        this.openApi = Objects.requireNonNull(openApi, "openApi must not be null");
        this.lambda = Objects.requireNonNull(lambda, "lambda must not be null");
        this.limits = Objects.requireNonNull(limits, "limits must not be null");
    }

    /** Whether Keygate can call targets of this {@code targetConfiguration.mcp}. */
    static boolean callable(JsonNode configuration) {
        return configuration.has("mcpServer") || configuration.has("openApiSchema") || configuration.has("lambda");
    }

    TargetLimits limits(GatewayTarget target) {
        return limits.effective(target.gatewayId(), target.targetId());
    }

    /**
     * @return the target's CallToolResult as JSON
     * @throws io.keygate.gateway.ToolListingException when the target cannot be called or the call failed
     * @throws io.keygate.gateway.TargetCallException  when the target broke a limit or refused the credential
     */
    JsonNode call(GatewayTarget target, String toolName, JsonNode arguments, OutboundCredentials.Attach attach) {
        TargetLimits bounds = limits(target);
        Semaphore bulkhead = bulkheads.get(target.gatewayId() + "/" + target.targetId() + "#" + bounds.maxConcurrentCalls(),
                unused -> new Semaphore(bounds.maxConcurrentCalls()));
        if (!bulkhead.tryAcquire()) {
            throw new TargetCallException(TargetCallException.Reason.TARGET_BUSY, "it already has "
                    + bounds.maxConcurrentCalls() + " calls in progress, the most Keygate runs at once towards one target; "
                    + "retry shortly", null);
        }
        try {
            return send(target, toolName, arguments, attach, bounds);
        } finally {
            bulkhead.release();
        }
    }

    private JsonNode send(GatewayTarget target, String toolName, JsonNode arguments, OutboundCredentials.Attach attach,
                          TargetLimits bounds) {
        JsonNode configuration = target.targetConfiguration().path("mcp");
        if (configuration.has("mcpServer")) {
            URI endpoint = endpoints.get(configuration.path("mcpServer").path("endpoint").asText(), URI::create);
            return mcp.call(attach.applyTo(endpoint), attach.headers(), toolName, arguments, bounds);
        }
        if (configuration.has("openApiSchema")) {
            return openApi.call(configuration.path("openApiSchema").path("inlinePayload").asText(), toolName,
                    arguments, attach.headers(), attach.queryParameters(), bounds);
        }
        return lambda.call(new LambdaCaller.Invocation(configuration.path("lambda").path("lambdaArn").asText(),
                target.gatewayId(), target.targetId(), target.name(), toolName, arguments), attach.headers(), bounds);
    }
}
