package io.keygate.gateway.runtime;

import io.keygate.audit.AuditLog;
import io.keygate.cache.ReadCache;
import io.keygate.cache.ResourceCaches;
import io.keygate.gateway.Gateway;
import io.keygate.gateway.GatewayService;
import io.keygate.gateway.mcp.McpDispatcher;
import io.keygate.gateway.mcp.McpServerInfo;
import io.keygate.gateway.mcp.McpSessionStore;
import io.keygate.gateway.mcp.ToolCallOutcome;
import io.keygate.gateway.mcp.ToolInvoker;

import java.util.Objects;

/**
 * Everything a gateway's MCP endpoint needs per request: the gateway, its inbound authorizer, and a
 * dispatcher whose tool invoker acts for the authenticated caller. MCP sessions are in the database, so
 * any node answers any request; gateways are cached for a few seconds ({@link ResourceCaches}): a change
 * or delete on this node applies at once, one on another node within the cache's TTL.
 */
public final class GatewayRuntime {
    private final GatewayService gateways;
    private final InboundAuthorizer authorizer;
    private final McpSessionStore sessions;
    private final GatewayTools tools;
    private final OutboundCredentials credentials;
    private final TargetCalls calls;
    private final AuditLog audit;
    private final ElicitationWatch elicitations;
    private final DynamicTools dynamicTools;
    private final ReadCache<String, Gateway> cachedGateways;

    public GatewayRuntime(GatewayService gateways, InboundAuthorizer authorizer, McpSessionStore sessions,
                          GatewayTools tools, OutboundCredentials credentials, TargetCalls calls,
                          ElicitationWatch elicitations, DynamicTools dynamicTools, AuditLog audit, ResourceCaches caches) {
        this.cachedGateways = caches.wholeKind(GatewayService.KIND, 1_000);
        this.dynamicTools = Objects.requireNonNull(dynamicTools, "dynamicTools must not be null");
        this.elicitations = Objects.requireNonNull(elicitations, "elicitations must not be null");
        this.gateways = Objects.requireNonNull(gateways, "gateways must not be null");
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer must not be null");
        this.sessions = Objects.requireNonNull(sessions, "sessions must not be null");
        this.tools = Objects.requireNonNull(tools, "tools must not be null");
        this.credentials = Objects.requireNonNull(credentials, "credentials must not be null");
        this.calls = Objects.requireNonNull(calls, "calls must not be null");
        this.audit = Objects.requireNonNull(audit, "audit must not be null");
    }

    public Gateway gateway(String gatewayId) {
        return cachedGateways.get(gatewayId, gateways::get);
    }

    public InboundCaller authorize(Gateway gateway, String authorizationHeader) {
        return authorizer.authorize(gateway, authorizationHeader);
    }

    /** Records a refused inbound call in the audit log (who is unknown: the token did not validate). */
    public void recordRefusal(Gateway gateway, InboundAuthException refusal) {
        audit.record("gateway-call-refused", gateway.workloadIdentityName(), null, null,
                refusal.error() == null ? "NO_TOKEN" : refusal.error().toUpperCase(java.util.Locale.ROOT));
    }

    public ElicitationWatch elicitations() {
        return elicitations;
    }

    public McpSessionStore sessions() {
        return sessions;
    }

    public McpDispatcher dispatcher(Gateway gateway, InboundCaller caller) {
        var invoker = new GatewayToolInvoker(gateway, caller, tools, credentials, calls, audit);
        // a consent the client is sent to is watched, so its stream hears when it completes
        ToolInvoker watching = (gatewayId, session, toolName, arguments, meta) -> {
            ToolCallOutcome outcome = invoker.call(gatewayId, session, toolName, arguments, meta);
            if (outcome instanceof ToolCallOutcome.UrlElicitationRequired elicitation) {
                elicitations.watch(session, elicitation.elicitationId());
            }
            return outcome;
        };
        return new McpDispatcher(sessions, dynamicTools.forCaller(gateway, caller, tools), watching,
                new McpServerInfo("keygate-gateway-" + gateway.name(), "0.1.0", gateway.protocolConfiguration() == null
                        || gateway.protocolConfiguration().mcp() == null ? null
                        : gateway.protocolConfiguration().mcp().instructions()));
    }
}
