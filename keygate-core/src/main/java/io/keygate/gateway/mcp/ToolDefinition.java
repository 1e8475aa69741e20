package io.keygate.gateway.mcp;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * One tool as {@code tools/list} shows it.
 *
 * @param name         unique tool name, e.g. {@code target___tool}
 * @param title        display name, or null (sent from 2025-06-18 on)
 * @param description  description for the model, or null
 * @param inputSchema  JSON Schema object of the arguments
 * @param outputSchema JSON Schema of {@code structuredContent}, or null (sent from 2025-06-18 on)
 * @param annotations  tool annotations, or null
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/server/tools#tool">MCP Tool</a>
 */
public record ToolDefinition(String name, String title, String description, JsonNode inputSchema,
                             JsonNode outputSchema, JsonNode annotations) {
    public ToolDefinition {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(inputSchema, "inputSchema must not be null");
    }

    /** The same tool under another name (a gateway prefixes its target's name). */
    public ToolDefinition withName(String newName) {
        return new ToolDefinition(newName, title, description, inputSchema, outputSchema, annotations);
    }
}
