package io.keygate.gateway.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.audit.AuditLog;
import io.keygate.gateway.Gateway;
import io.keygate.gateway.GatewayTarget;
import io.keygate.gateway.McpToolCaller;
import io.keygate.gateway.OpenApiCaller;
import io.keygate.gateway.ToolListingException;
import io.keygate.gateway.mcp.McpSession;
import io.keygate.gateway.mcp.ToolCallOutcome;
import io.keygate.gateway.mcp.ToolInvoker;
import io.keygate.identity.principal.Hashes;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Routes a {@code tools/call} to its target for one authenticated caller: resolves
 * {@code target___tool}, gets the caller's outbound credential, calls the MCP server or OpenAPI target
 * (Lambda targets are not callable yet), and turns every failure into a tool error that names the
 * target and what to fix. A missing user grant becomes a URL elicitation (the dispatcher decides
 * between -32042 and a link in the result).
 */
public final class GatewayToolInvoker implements ToolInvoker {
    static final String META_KEY = "aws.bedrock-agentcore.gateway/credentialProviderConfiguration";
    private final Gateway gateway;
    private final InboundCaller caller;
    private final GatewayTools tools;
    private final OutboundCredentials credentials;
    private final McpToolCaller mcp;
    private final OpenApiCaller openApi;
    private final AuditLog audit;

    public GatewayToolInvoker(Gateway gateway, InboundCaller caller, GatewayTools tools, OutboundCredentials credentials,
                              McpToolCaller mcp, OpenApiCaller openApi, AuditLog audit) {
        this.gateway = Objects.requireNonNull(gateway, "gateway must not be null");
        this.caller = Objects.requireNonNull(caller, "caller must not be null");
        this.tools = Objects.requireNonNull(tools, "tools must not be null");
        this.credentials = Objects.requireNonNull(credentials, "credentials must not be null");
        this.mcp = Objects.requireNonNull(mcp, "mcp must not be null");
        this.openApi = Objects.requireNonNull(openApi, "openApi must not be null");
        this.audit = Objects.requireNonNull(audit, "audit must not be null");
    }

    @Override
    public ToolCallOutcome call(String gatewayId, McpSession session, String toolName, JsonNode arguments, JsonNode meta) {
        Optional<GatewayTools.Resolved> resolved = tools.resolve(gatewayId, toolName);
        if (resolved.isEmpty()) {
            return new ToolCallOutcome.UnknownTool();
        }
        GatewayTarget target = resolved.get().target();
        JsonNode configuration = target.targetConfiguration().path("mcp");
        if (!configuration.has("mcpServer") && !configuration.has("openApiSchema")) {
            return new ToolCallOutcome.Failure("Target " + target.name() + (configuration.has("lambda")
                    ? " is a Lambda target; Keygate stores its tool schemas but cannot invoke Lambda functions yet"
                    : " is of a kind Keygate cannot call") + "; it calls MCP server and OpenAPI targets");
        }
        OutboundCredentials.Outbound outbound = credentials.resolve(gateway, target, caller, override(meta));
        if (outbound instanceof OutboundCredentials.ConsentRequired consent) {
            audit.record("tool-call-needs-consent", gateway.workloadIdentityName(), target.name(), "jwt", null);
            return new ToolCallOutcome.UrlElicitationRequired(Hashes.sha256(consent.sessionUri()),
                    consent.authorizationUrl(), "Target " + target.name() + " needs your permission: open the link, "
                    + "sign in and consent, then call the tool again.");
        }
        if (outbound instanceof OutboundCredentials.Refused refused) {
            audit.record("tool-call-refused", gateway.workloadIdentityName(), target.name(), null, "NO_CREDENTIAL");
            return new ToolCallOutcome.Failure(refused.message());
        }
        return send(target, configuration, resolved.get().tool().name(), arguments, (OutboundCredentials.Attach) outbound);
    }

    private ToolCallOutcome send(GatewayTarget target, JsonNode configuration, String toolName, JsonNode arguments,
                                 OutboundCredentials.Attach attach) {
        try {
            JsonNode result = configuration.has("mcpServer")
                    ? mcp.call(attach.applyTo(URI.create(configuration.path("mcpServer").path("endpoint").asText())),
                    attach.headers(), toolName, arguments)
                    : openApi.call(configuration.path("openApiSchema").path("inlinePayload").asText(), toolName,
                    arguments, attach.headers(), attach.queryParameters());
            audit.record("tool-call", gateway.workloadIdentityName(), target.name(), null, null);
            return new ToolCallOutcome.Result(result);
        } catch (ToolListingException failure) {
            audit.record("tool-call-failed", gateway.workloadIdentityName(), target.name(), null, "TARGET_FAILED");
            return new ToolCallOutcome.Failure("Target " + target.name() + ": " + failure.getMessage()
                    + (failure.getMessage().contains("401") || failure.getMessage().contains("403")
                    ? " (the target refused the credential Keygate sent: check the target's credential provider)" : ""));
        }
    }

    private static OutboundCredentials.CallOverride override(JsonNode meta) {
        JsonNode oauth = meta == null ? null : meta.path(META_KEY).path("oauthCredentialProvider");
        if (oauth == null || oauth.isMissingNode()) {
            return null;
        }
        return new OutboundCredentials.CallOverride(oauth.path("returnUrl").asText(null),
                oauth.has("forceAuthentication") ? oauth.get("forceAuthentication").asBoolean() : null);
    }
}
