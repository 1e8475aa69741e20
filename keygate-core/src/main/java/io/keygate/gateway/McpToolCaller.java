package io.keygate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.keygate.identity.principal.Hashes;
import io.keygate.json.Json;
import io.keygate.net.OutboundUrlException;
import io.keygate.net.OutboundUrlGuard;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.client.McpSyncClient;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Calls one tool of an MCP server target with the official MCP Java SDK client, the outbound
 * credential in the request headers, within the target's timeout. Initialized clients are kept per
 * endpoint and credential (never shared between credentials, so never between users) for five idle
 * minutes, so a call costs one round trip instead of three; a failed call drops its client, and is
 * not retried, because a tool call that reached the target may have had effects.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/server/tools#calling-tools">tools/call</a>
 */
public final class McpToolCaller {
    private final OutboundUrlGuard guard;
    private final Duration timeout;
    private final JacksonMcpJsonMapper mapper = new JacksonMcpJsonMapper(Json.MAPPER.copy());
    private final Cache<String, McpSyncClient> clients = Caffeine.newBuilder()
            .maximumSize(1_000)
            .expireAfterAccess(Duration.ofMinutes(5))
            .removalListener((String key, McpSyncClient client, RemovalCause cause) -> {
                if (client != null) {
                    client.close();
                }
            })
            .build();

    public McpToolCaller(OutboundUrlGuard guard, Duration timeout) {
        this.guard = Objects.requireNonNull(guard, "guard must not be null");
        this.timeout = Objects.requireNonNull(timeout, "timeout must not be null");
    }

    /**
     * @return the target's CallToolResult as JSON
     * @throws ToolListingException saying which target failed and how (never a credential)
     */
    public JsonNode call(URI endpoint, Map<String, String> headers, String toolName, JsonNode arguments) {
        String shown = McpToolLister.withoutQuery(endpoint);
        try {
            guard.check(endpoint);
        } catch (OutboundUrlException refused) {
            throw new ToolListingException("Keygate does not contact " + shown + ": the URL " + refused.getMessage(), refused);
        }
        String key = endpoint + "\n" + Hashes.sha256(new TreeMap<>(headers).toString());
        try {
            McpSyncClient client = clients.get(key, unused -> {
                McpSyncClient fresh = McpToolLister.openClient(endpoint, headers, timeout, mapper);
                fresh.initialize();
                return fresh;
            });
            @SuppressWarnings("unchecked")
            Map<String, Object> args = Json.MAPPER.convertValue(arguments, Map.class);
            McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(toolName, args));
            return Json.MAPPER.valueToTree(result);
        } catch (RuntimeException failure) {
            clients.invalidate(key);
            throw new ToolListingException("The call to " + shown + " failed: "
                    + McpToolLister.describe(failure, endpoint), failure);
        }
    }
}
