package io.keygate.gateway.runtime;

import io.keygate.cache.ReadCache;
import io.keygate.cache.ResourceCaches;
import io.keygate.gateway.GatewayTarget;
import io.keygate.gateway.GatewayTargetService;
import io.keygate.gateway.mcp.ToolCatalog;
import io.keygate.gateway.mcp.ToolDefinition;
import io.keygate.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The gateway's aggregated tool list: every tool of every usable target, named
 * {@code {targetName}___{toolName}} as AgentCore names them. A gateway's targets are cached for a few
 * seconds ({@link ResourceCaches}): a target written on this node applies at once, on another node
 * within the cache's TTL.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/gateway-using.html">Using a gateway</a>
 */
public final class GatewayTools implements ToolCatalog {
    public static final String SEPARATOR = "___";
    private final GatewayTargetService targets;
    private final ReadCache<String, List<GatewayTarget>> cachedTargets;

    public GatewayTools(GatewayTargetService targets, ResourceCaches caches) {
        this.targets = Objects.requireNonNull(targets, "targets must not be null");
        this.cachedTargets = caches.wholeKind(GatewayTargetService.KIND, 1_000);
    }

    @Override
    public List<ToolDefinition> list(String gatewayId, String principal) {
        List<ToolDefinition> tools = new ArrayList<>();
        for (GatewayTarget target : targetsOf(gatewayId)) {
            if (usable(target)) {
                for (ToolDefinition tool : target.tools()) {
                    tools.add(tool.withName(target.name() + SEPARATOR + tool.name()));
                }
            }
        }
        return tools;
    }

    /** A target and one of its tools, found by the qualified name; empty when there is no such tool. */
    public record Resolved(GatewayTarget target, ToolDefinition tool) {
    }

    public Optional<Resolved> resolve(String gatewayId, String qualifiedName) {
        int separator = qualifiedName.indexOf(SEPARATOR);
        if (separator <= 0) {
            return Optional.empty();
        }
        String targetName = qualifiedName.substring(0, separator);
        String toolName = qualifiedName.substring(separator + SEPARATOR.length());
        for (GatewayTarget target : targetsOf(gatewayId)) { // loops, not streams: this runs on every tools/call
            if (target.name().equals(targetName) && usable(target)) {
                ToolDefinition tool = toolNamed(target, toolName);
                if (tool != null) {
                    return Optional.of(new Resolved(target, tool));
                }
            }
        }
        return Optional.empty();
    }

    /** A gateway's targets, through the cache. */
    public List<GatewayTarget> targetsOf(String gatewayId) {
        return cachedTargets.get(gatewayId, id -> List.copyOf(targets.all(id)));
    }

    /** A DYNAMIC target's tools are not stored: it is asked for any name, and answers for unknown ones itself. */
    private static ToolDefinition toolNamed(GatewayTarget target, String toolName) {
        if (target.listsDynamically()) {
            return new ToolDefinition(toolName, null, null, Json.MAPPER.createObjectNode().put("type", "object"), null, null);
        }
        for (ToolDefinition tool : target.tools()) {
            if (tool.name().equals(toolName)) {
                return tool;
            }
        }
        return null;
    }

    private static boolean usable(GatewayTarget target) {
        return target.status() == GatewayTarget.Status.READY
                || target.status() == GatewayTarget.Status.SYNCHRONIZE_UNSUCCESSFUL
                || target.status() == GatewayTarget.Status.UPDATE_UNSUCCESSFUL;
    }
}
