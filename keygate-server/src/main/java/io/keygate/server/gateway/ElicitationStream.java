package io.keygate.server.gateway;

import io.keygate.gateway.mcp.McpSession;
import io.keygate.gateway.runtime.ElicitationWatch;
import io.keygate.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * Writes one MCP session's server-sent events: {@code notifications/elicitation/complete} for each
 * watched consent that completed, a keep-alive comment every 15 s, for at most ten minutes or until
 * the client goes away.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#listening-for-messages-from-the-server">Listening for messages</a>
 */
final class ElicitationStream {
    private static final Duration LIFETIME = Duration.ofMinutes(10);
    private static final long POLL_MILLIS = 500;
    private static final long KEEPALIVE_MILLIS = 15_000;
    private final ElicitationWatch watch;
    private final McpSession session;
    private final java.util.function.BooleanSupplier open;

    /** @param open false once the server is stopping: the stream ends so the stop is not held up */
    ElicitationStream(ElicitationWatch watch, McpSession session, java.util.function.BooleanSupplier open) {
        this.watch = watch;
        this.session = session;
        this.open = open;
    }

    void run(OutputStream out) throws IOException {
        long end = System.nanoTime() + LIFETIME.toNanos();
        long lastWrite = System.nanoTime();
        write(out, ": keygate stream for elicitation completion\n\n");
        while (System.nanoTime() < end && open.getAsBoolean()) {
            for (String elicitationId : watch.completed(session)) {
                write(out, "event: message\ndata: " + Json.write(Map.of("jsonrpc", "2.0",
                        "method", "notifications/elicitation/complete",
                        "params", Map.of("elicitationId", elicitationId))) + "\n\n");
                lastWrite = System.nanoTime();
            }
            if (System.nanoTime() - lastWrite > KEEPALIVE_MILLIS * 1_000_000) {
                write(out, ": keep-alive\n\n");
                lastWrite = System.nanoTime();
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
