package io.keygate.gateway.mcp;

import java.util.Objects;

/**
 * What {@code initialize} tells a client about this server.
 *
 * @param name         {@code serverInfo.name}
 * @param version      {@code serverInfo.version}
 * @param instructions optional {@code instructions} for the model, or null
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/lifecycle#initialization">MCP initialization</a>
 */
public record McpServerInfo(String name, String version, String instructions) {
    public McpServerInfo {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(version, "version must not be null");
    }
}
