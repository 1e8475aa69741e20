package io.keygate.server.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.keygate.gateway.Gateway;
import io.keygate.gateway.mcp.JsonRpcMessage;
import io.keygate.gateway.mcp.JsonRpcParseResult;
import io.keygate.gateway.mcp.McpCall;
import io.keygate.gateway.mcp.McpOutcome;
import io.keygate.gateway.runtime.GatewayRuntime;
import io.keygate.gateway.runtime.InboundAuthException;
import io.keygate.gateway.runtime.InboundAuthorizer;
import io.keygate.gateway.runtime.InboundCaller;
import io.keygate.json.Json;
import io.keygate.server.http.ApiRequest;
import io.keygate.server.http.ApiResponse;
import io.keygate.server.http.OversizedBodyHandler;
import io.keygate.server.http.RouteHandler;
import io.keygate.server.http.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A gateway's MCP endpoint, {@code /gateways/{gatewayId}/mcp} (Streamable HTTP, JSON responses), and
 * its RFC 9728 protected resource metadata. Authenticates the caller with the gateway's authorizer
 * (401 with {@code WWW-Authenticate: Bearer resource_metadata=…}, 403 {@code insufficient_scope}:
 * security.md GW-1), refuses foreign origins (GW-5), then hands the JSON-RPC message to the dispatcher.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#streamable-http">Streamable HTTP</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9728">RFC 9728</a>
 */
public final class McpEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(McpEndpoint.class);
    private final GatewayRuntime runtime;
    private final Supplier<URI> publicUrl;
    private volatile boolean open = true;

    public McpEndpoint(GatewayRuntime runtime, Supplier<URI> publicUrl) {
        this.runtime = Objects.requireNonNull(runtime, "runtime must not be null");
        this.publicUrl = Objects.requireNonNull(publicUrl, "publicUrl must not be null");
    }

    public void register(Router<RouteHandler> router) {
        router.add("POST", "/gateways/{gatewayId}/mcp", new OversizedBodyHandler(this::post));
        router.add("DELETE", "/gateways/{gatewayId}/mcp", this::delete);
        router.add("GET", "/gateways/{gatewayId}/mcp", this::stream);
        router.add("GET", "/.well-known/oauth-protected-resource/gateways/{gatewayId}/mcp", this::protectedResource);
    }

    private ApiResponse post(ApiRequest request) {
        Gateway gateway = runtime.gateway(request.pathParameter("gatewayId"));
        ApiResponse refusal = refuseOrigin(request);
        if (refusal != null) {
            return refusal;
        }
        return asCaller(request, gateway, caller -> dispatch(request, gateway, caller));
    }

    private ApiResponse dispatch(ApiRequest request, Gateway gateway, InboundCaller caller) {
        JsonRpcParseResult parsed = JsonRpcMessage.parse(request.body());
        McpOutcome outcome = parsed instanceof JsonRpcParseResult.Parsed message
                ? runtime.dispatcher(gateway, caller).dispatch(new McpCall(gateway.gatewayId(), caller.principal(),
                request.header("mcp-session-id").orElse(null), request.header("mcp-protocol-version").orElse(null),
                message.message()))
                : ((JsonRpcParseResult.Rejected) parsed).toOutcome();
        return answer(outcome);
    }

    /**
     * The server-sent event stream of an MCP session: {@code notifications/elicitation/complete} when a
     * consent the client was sent to completes (on any node), keep-alive comments meanwhile. It ends
     * after ten minutes; clients reconnect.
     */
    private ApiResponse stream(ApiRequest request) {
        Gateway gateway = runtime.gateway(request.pathParameter("gatewayId"));
        return asCaller(request, gateway, caller -> openStream(request, gateway, caller));
    }

    private ApiResponse openStream(ApiRequest request, Gateway gateway, InboundCaller caller) {
        var session = runtime.sessions().find(request.header("mcp-session-id").orElse(""), gateway.gatewayId(),
                caller.principal());
        if (session.isEmpty()) {
            return ApiResponse.json(404, bytes(Map.of("error", "No MCP session with this Mcp-Session-Id for this caller; "
                    + "send initialize first")));
        }
        return ApiResponse.streaming("text/event-stream", Map.of("Cache-Control", "no-store"),
                out -> new ElicitationStream(runtime.elicitations(), session.get(), () -> open).run(out));
    }

    /** Ends the open event streams, so that the server can stop. */
    @Override
    public void close() {
        open = false;
    }

    private ApiResponse delete(ApiRequest request) {
        Gateway gateway = runtime.gateway(request.pathParameter("gatewayId"));
        return asCaller(request, gateway, caller -> deleteSession(request, gateway, caller));
    }

    private ApiResponse deleteSession(ApiRequest request, Gateway gateway, InboundCaller caller) {
        String sessionId = request.header("mcp-session-id").orElse("");
        boolean deleted = runtime.sessions().delete(sessionId, gateway.gatewayId(), caller.principal());
        return ApiResponse.empty(deleted ? 204 : 404);
    }

    /** Runs {@code action} for the authenticated caller, or answers the authorizer's refusal. */
    private ApiResponse asCaller(ApiRequest request, Gateway gateway, Function<InboundCaller, ApiResponse> action) {
        InboundCaller caller;
        try {
            caller = runtime.authorize(gateway, request.header("authorization").orElse(null));
        } catch (InboundAuthException denied) {
            return unauthorized(gateway, denied);
        }
        return action.apply(caller);
    }

    private static ApiResponse answer(McpOutcome outcome) {
        if (outcome instanceof McpOutcome.Reply reply) {
            Map<String, String> headers = reply.newSessionId() == null ? Map.of() : Map.of("Mcp-Session-Id", reply.newSessionId());
            return new ApiResponse(200, "application/json", headers, bytes(reply.response()));
        }
        if (outcome instanceof McpOutcome.HttpError error) {
            return new ApiResponse(error.status(), "application/json", Map.of(), bytes(error.body()));
        }
        return ApiResponse.empty(202);
    }

    /** Browsers may not call the gateway from other sites (DNS rebinding, CSRF): same origin or none (GW-5). */
    private ApiResponse refuseOrigin(ApiRequest request) {
        String origin = request.header("origin").orElse(null);
        if (origin == null || origin.equals(origin(publicUrl.get()))) {
            return null;
        }
        LOG.info("MCP request {} refused: foreign Origin", request.requestId());
        return ApiResponse.json(403, bytes(Map.of("error", "Origin not allowed: MCP clients call this gateway "
                + "directly, not from a web page of another site")));
    }

    private ApiResponse unauthorized(Gateway gateway, InboundAuthException denied) {
        boolean debug = "DEBUG".equals(gateway.exceptionLevel());
        String description = debug ? denied.getMessage() : denied.status() == 403
                ? "the token is not allowed to use this gateway" : "a valid bearer token for this gateway is required";
        LOG.info("MCP request to gateway {} refused ({}): {}", gateway.gatewayId(), denied.status(), denied.getMessage());
        runtime.recordRefusal(gateway, denied);
        StringBuilder challenge = new StringBuilder("Bearer resource_metadata=\"").append(metadataUrl(gateway)).append('"');
        if (denied.error() != null) {
            challenge.append(", error=\"").append(denied.error()).append("\", error_description=\"")
                    .append(description.replace('"', '\'')).append('"');
        }
        return new ApiResponse(denied.status(), "application/json", Map.of("WWW-Authenticate", challenge.toString()),
                bytes(Map.of("error", denied.error() == null ? "unauthorized" : denied.error(),
                        "error_description", description)));
    }

    private ApiResponse protectedResource(ApiRequest request) {
        Gateway gateway = runtime.gateway(request.pathParameter("gatewayId"));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("resource", publicUrl.get() + "/gateways/" + gateway.gatewayId() + "/mcp");
        var jwt = gateway.authorizerConfiguration() == null ? null : gateway.authorizerConfiguration().customJWTAuthorizer();
        if (jwt != null) {
            metadata.put("authorization_servers", List.of(InboundAuthorizer.issuer(jwt)));
            if (jwt.allowedScopes() != null && !jwt.allowedScopes().isEmpty()) {
                metadata.put("scopes_supported", jwt.allowedScopes());
            }
        }
        metadata.put("bearer_methods_supported", List.of("header"));
        metadata.put("resource_name", gateway.name());
        return ApiResponse.json(200, bytes(metadata));
    }

    private String metadataUrl(Gateway gateway) {
        return publicUrl.get() + "/.well-known/oauth-protected-resource/gateways/" + gateway.gatewayId() + "/mcp";
    }

    private static String origin(URI url) {
        return url.getScheme() + "://" + url.getRawAuthority();
    }

    private static byte[] bytes(Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException unwritable) {
            throw new IllegalStateException("an MCP answer could not be written as JSON", unwritable);
        }
    }

}
