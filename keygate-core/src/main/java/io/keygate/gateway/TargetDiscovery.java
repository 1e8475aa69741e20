package io.keygate.gateway;

import io.keygate.gateway.mcp.ToolDefinition;

import java.time.Instant;
import java.util.List;

/**
 * The result of finding a target's tools: its new status and reasons, the tools (null: keep the ones
 * known), when they were listed from the target (null: not listed now), and where an administrator
 * consents when the status is *_PENDING_AUTH (else null).
 */
public record TargetDiscovery(GatewayTarget.Status status, List<String> statusReasons, List<ToolDefinition> tools,
                              Instant synchronizedAt, String authorizationUrl) {
    public TargetDiscovery {
        statusReasons = statusReasons == null ? List.of() : List.copyOf(statusReasons);
        tools = tools == null ? null : List.copyOf(tools);
    }
}
