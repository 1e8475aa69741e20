package io.keygate.gateway.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.audit.AuditLog;
import io.keygate.gateway.Gateway;
import io.keygate.gateway.GatewayTarget;
import io.keygate.gateway.TargetCallException;
import io.keygate.gateway.ToolListingException;
import io.keygate.gateway.mcp.McpSession;
import io.keygate.gateway.mcp.ToolCallOutcome;
import io.keygate.gateway.mcp.ToolInvoker;
import io.keygate.identity.principal.Hashes;

import java.util.Objects;
import java.util.Optional;

/**
 * Routes a {@code tools/call} to its target for one authenticated caller: resolves
 * {@code target___tool}, gets the caller's outbound credential, calls the MCP server, OpenAPI or
 * Lambda target through {@link TargetCalls}, and turns every failure into a tool error that names the
 * target and what to fix, audited with a reason code. A missing user grant becomes a URL elicitation
 * (the dispatcher decides between -32042 and a link in the result).
 */
public final class GatewayToolInvoker implements ToolInvoker {
    static final String META_KEY = "aws.bedrock-agentcore.gateway/credentialProviderConfiguration";
    private final Gateway gateway;
    private final InboundCaller caller;
    private final GatewayTools tools;
    private final OutboundCredentials credentials;
    private final TargetCalls calls;
    private final AuditLog audit;

    public GatewayToolInvoker(Gateway gateway, InboundCaller caller, GatewayTools tools, OutboundCredentials credentials,
                              TargetCalls calls, AuditLog audit) {
        this.gateway = Objects.requireNonNull(gateway, "gateway must not be null");
        this.caller = Objects.requireNonNull(caller, "caller must not be null");
        this.tools = Objects.requireNonNull(tools, "tools must not be null");
        this.credentials = Objects.requireNonNull(credentials, "credentials must not be null");
        this.calls = Objects.requireNonNull(calls, "calls must not be null");
        this.audit = Objects.requireNonNull(audit, "audit must not be null");
    }

    @Override
    public ToolCallOutcome call(String gatewayId, McpSession session, String toolName, JsonNode arguments, JsonNode meta) {
        Optional<GatewayTools.Resolved> resolved = tools.resolve(gatewayId, toolName);
        if (resolved.isEmpty()) {
            return new ToolCallOutcome.UnknownTool();
        }
        GatewayTarget target = resolved.get().target();
        if (!TargetCalls.callable(target.targetConfiguration().path("mcp"))) {
            return new ToolCallOutcome.Failure("Target " + target.name() + " is of a kind Keygate cannot call; "
                    + "it calls MCP server, OpenAPI and Lambda targets");
        }
        OutboundCredentials.Outbound outbound = credentials.resolve(gateway, target, caller, override(meta));
        if (outbound instanceof OutboundCredentials.ConsentRequired consent) {
            return consent(session, target, consent);
        }
        if (outbound instanceof OutboundCredentials.Refused refused) {
            audit.record("tool-call-refused", gateway.workloadIdentityName(), target.name(), null, refused.outcome());
            return new ToolCallOutcome.Failure(refused.message());
        }
        return send(target, resolved.get().tool().name(), arguments, (OutboundCredentials.Attach) outbound);
    }

    /** Audited with why consent is needed, and whether this client can be sent to it automatically. */
    private ToolCallOutcome consent(McpSession session, GatewayTarget target, OutboundCredentials.ConsentRequired consent) {
        String outcome = consent.grantRevoked() ? "REAUTH_REQUIRED" : null;
        if (!session.acceptsUrlElicitationError()) {
            outcome = outcome == null ? "CLIENT_CANNOT_ELICIT" : outcome + ",CLIENT_CANNOT_ELICIT";
        }
        audit.record("tool-call-needs-consent", gateway.workloadIdentityName(), target.name(), "jwt", outcome);
        String message = consent.grantRevoked()
                ? "Target " + target.name() + ": the identity provider '" + consent.provider() + "' no longer accepts "
                + "the access you granted earlier (" + consent.reason().substring(consent.reason().indexOf(':') + 1)
                + "), so you must consent again: open the link, sign in and consent, then call the tool again."
                : "Target " + target.name() + " needs your permission: open the link, sign in and consent, then call "
                + "the tool again.";
        return new ToolCallOutcome.UrlElicitationRequired(Hashes.sha256(consent.sessionUri()), consent.authorizationUrl(),
                message);
    }

    private ToolCallOutcome send(GatewayTarget target, String toolName, JsonNode arguments,
                                 OutboundCredentials.Attach attach) {
        String workload = gateway.workloadIdentityName();
        try {
            JsonNode result = calls.call(target, toolName, arguments, attach);
            audit.record("tool-call", workload, target.name(), null,
                    result.path("isError").asBoolean(false) ? "TOOL_ERROR" : null);
            return new ToolCallOutcome.Result(result);
        } catch (TargetCallException failure) {
            audit.record("tool-call-failed", workload, target.name(), null, failure.reason().name());
            return new ToolCallOutcome.Failure("Target " + target.name() + ": " + failure.getMessage() + ". "
                    + TargetFixes.of(failure.reason(), target, calls.limits(target)));
        } catch (ToolListingException failure) {
            audit.record("tool-call-failed", workload, target.name(), null, "TARGET_FAILED");
            return new ToolCallOutcome.Failure("Target " + target.name() + ": " + failure.getMessage());
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
