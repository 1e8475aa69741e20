package io.keygate.gateway.mcp;

import io.keygate.identity.principal.Hashes;

/**
 * {@code Mcp-Session-Id} values: 256 bits from SecureRandom, base64url, so only visible ASCII
 * (0x21–0x7E) as the transport spec demands.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#session-management">MCP session management</a>
 */
public final class McpSessionIds {
    /** Longer header values are refused before any store lookup. */
    public static final int MAX_LENGTH = 128;

    private McpSessionIds() {
    }

    public static String generate() {
        return Hashes.random(32);
    }

    /** Whether a client-sent header value is syntactically a session id (any visible ASCII, bounded). */
    public static boolean isWellFormed(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return false;
            }
        }
        return true;
    }
}
