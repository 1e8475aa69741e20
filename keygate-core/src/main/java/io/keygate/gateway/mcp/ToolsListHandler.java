package io.keygate.gateway.mcp;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keygate.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * {@code tools/list}: the caller's tools, {@value #PAGE_SIZE} a page. The cursor is base64url of the
 * next offset: opaque to clients, and stateless so any node can serve the next page. A cursor past the
 * end (the catalog shrank) yields an empty last page rather than an error.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/server/tools#listing-tools">MCP listing tools</a>
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/server/utilities/pagination">MCP pagination</a>
 */
final class ToolsListHandler implements McpRequestHandler {
    static final int PAGE_SIZE = 100;
    private static final int MAX_CURSOR_LENGTH = 16;

    private final ToolCatalog catalog;

    ToolsListHandler(ToolCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog must not be null");
    }

    @Override
    public McpOutcome handle(McpRequestContext context) {
        int offset = decodeCursor(context.optionalText("cursor"));
        List<ToolDefinition> tools = catalog.list(context.gatewayId(), context.principal());
        int end = (int) Math.min((long) offset + PAGE_SIZE, tools.size());
        String version = context.session().protocolVersion();
        ObjectNode result = Json.MAPPER.createObjectNode();
        ArrayNode page = result.putArray("tools");
        for (int i = offset; i < end; i++) {
            page.add(toJson(tools.get(i), version));
        }
        if (end < tools.size()) {
            result.put("nextCursor", encodeCursor(end));
        }
        return context.reply(result);
    }

    static String encodeCursor(int offset) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Integer.toString(offset).getBytes(StandardCharsets.US_ASCII));
    }

    static int decodeCursor(String cursor) {
        if (cursor == null) {
            return 0;
        }
        try {
            if (cursor.length() > MAX_CURSOR_LENGTH) {
                throw new IllegalArgumentException("too long");
            }
            String digits = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (!digits.matches("[0-9]{1,9}")) {
                throw new IllegalArgumentException("not an offset");
            }
            return Integer.parseInt(digits);
        } catch (IllegalArgumentException invalid) {
            throw new InvalidParamsException("invalid cursor");
        }
    }

    private static ObjectNode toJson(ToolDefinition tool, String version) {
        boolean recent = McpProtocolVersions.hasToolTitlesAndOutputSchema(version);
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("name", tool.name());
        if (recent && tool.title() != null) {
            json.put("title", tool.title());
        }
        if (tool.description() != null) {
            json.put("description", tool.description());
        }
        json.set("inputSchema", tool.inputSchema());
        if (recent && tool.outputSchema() != null) {
            json.set("outputSchema", tool.outputSchema());
        }
        if (tool.annotations() != null) {
            json.set("annotations", tool.annotations());
        }
        return json;
    }
}
