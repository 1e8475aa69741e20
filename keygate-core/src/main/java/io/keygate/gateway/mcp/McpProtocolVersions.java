package io.keygate.gateway.mcp;

import java.util.List;

/**
 * The MCP protocol revisions this gateway speaks, and the negotiation rule: a supported requested
 * version is answered as is, anything else with the latest one, and the client then decides whether
 * it can continue.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/lifecycle#version-negotiation">MCP version negotiation</a>
 */
public final class McpProtocolVersions {
    public static final String V2025_03_26 = "2025-03-26";
    public static final String V2025_06_18 = "2025-06-18";
    public static final String V2025_11_25 = "2025-11-25";
    public static final String LATEST = V2025_11_25;
    /** Oldest first. */
    public static final List<String> SUPPORTED = List.of(V2025_03_26, V2025_06_18, V2025_11_25);

    private McpProtocolVersions() {
    }

    public static String negotiate(String requested) {
        return SUPPORTED.contains(requested) ? requested : LATEST;
    }

    /** URL-mode elicitation and error -32042 exist from 2025-11-25 on. */
    public static boolean hasUrlElicitation(String version) {
        return V2025_11_25.equals(version);
    }

    /** Tool {@code title} and {@code outputSchema} exist from 2025-06-18 on. */
    public static boolean hasToolTitlesAndOutputSchema(String version) {
        return !V2025_03_26.equals(version);
    }
}
