package io.keygate.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keygate.json.Json;

import java.util.Objects;

/**
 * {@code initialize}: negotiates the protocol version, records whether the client can take URL-mode
 * elicitation, opens a session and returns its id for the {@code Mcp-Session-Id} header.
 * {@code clientInfo} is not checked: nothing here depends on it.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/lifecycle#initialization">MCP initialization</a>
 */
final class InitializeHandler implements McpRequestHandler {
    private final McpSessionStore sessions;
    private final McpServerInfo serverInfo;

    InitializeHandler(McpSessionStore sessions, McpServerInfo serverInfo) {
        this.sessions = Objects.requireNonNull(sessions, "sessions must not be null");
        this.serverInfo = Objects.requireNonNull(serverInfo, "serverInfo must not be null");
    }

    @Override
    public McpOutcome handle(McpRequestContext context) {
        String requested = context.optionalText("protocolVersion");
        if (requested == null) {
            throw new InvalidParamsException("initialize requires protocolVersion");
        }
        boolean urlElicitation = declaresUrlElicitation(context.optionalObject("capabilities"));
        McpSession session = sessions.create(context.gatewayId(), context.principal(),
                McpProtocolVersions.negotiate(requested), urlElicitation);
        McpOutcome.Reply reply = context.reply(result(session.protocolVersion()));
        return new McpOutcome.Reply(reply.response(), session.sessionId());
    }

    /** {@code capabilities.elicitation.url} present as an object (SEP-1036); {@code elicitation: {}} means form only. */
    static boolean declaresUrlElicitation(ObjectNode capabilities) {
        JsonNode url = capabilities == null ? null : capabilities.path("elicitation").get("url");
        return url != null && url.isObject();
    }

    private ObjectNode result(String protocolVersion) {
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("protocolVersion", protocolVersion);
        result.putObject("capabilities").putObject("tools").put("listChanged", false);
        result.putObject("serverInfo").put("name", serverInfo.name()).put("version", serverInfo.version());
        if (serverInfo.instructions() != null) {
            result.put("instructions", serverInfo.instructions());
        }
        return result;
    }
}
