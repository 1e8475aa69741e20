package io.keygate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's target: a real MCP server (the official MCP Java SDK on Jetty 12 ee10, Streamable
 * HTTP at {@code /mcp} on 127.0.0.1) with one tool, {@code echo}, behind an API key: a request without
 * {@code X-Api-Key: bench-key} gets 401. Stateless by default (no session, JSON answers), so a direct
 * client pays only for the call itself; {@code --mode streamable} runs the session-based transport
 * (answers as server-sent events) instead.
 *
 * <p>Runs in its own JVM ({@link #main}) so that neither the load generator nor Keygate shares its heap or
 * its garbage collector. It prints {@code Target listening on <url>} when ready and stops on SIGTERM or
 * when its standard input closes (the harness went away).
 */
public final class TargetServer implements AutoCloseable {
    /** The API key the target accepts; a benchmark constant, not a secret. */
    public static final String API_KEY = "bench-key";
    static final String API_KEY_HEADER = "X-Api-Key";
    static final String TOOL = "echo";
    private final Server jetty;
    private final AutoCloseable mcp;
    private final AtomicLong refused;

    private TargetServer(Server jetty, AutoCloseable mcp, AtomicLong refused) {
        this.jetty = jetty;
        this.mcp = mcp;
        this.refused = refused;
    }

    /** Starts the target on a free port of 127.0.0.1; {@code stateless} picks the transport. */
    public static TargetServer start(boolean stateless) throws Exception {
        return start(stateless, false);
    }

    /** As {@link #start(boolean)}; with {@code acceptBearer} any {@code Authorization: Bearer} token is let in too (L2). */
    public static TargetServer start(boolean stateless, boolean acceptBearer) throws Exception {
        JacksonMcpJsonMapper json = new JacksonMcpJsonMapper(new ObjectMapper());
        McpSchema.Tool tool = McpSchema.Tool.builder().name(TOOL).description("Echoes its text")
                .inputSchema(Map.of("type", "object", "properties", Map.of("text", Map.of("type", "string")),
                        "required", List.of("text")))
                .build();
        HttpServlet servlet;
        AutoCloseable mcp;
        if (stateless) {
            HttpServletStatelessServerTransport transport = HttpServletStatelessServerTransport.builder()
                    .jsonMapper(json).messageEndpoint("/mcp").build();
            McpStatelessSyncServer server = McpServer.sync(transport).serverInfo("bench-target", "1.0.0")
                    .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                    .tools(McpStatelessServerFeatures.SyncToolSpecification.builder().tool(tool)
                            .callHandler((context, request) -> echo(request)).build())
                    .build();
            servlet = transport;
            mcp = server::close;
        } else {
            HttpServletStreamableServerTransportProvider transport = HttpServletStreamableServerTransportProvider.builder()
                    .jsonMapper(json).mcpEndpoint("/mcp").build();
            McpSyncServer server = McpServer.sync(transport).serverInfo("bench-target", "1.0.0")
                    .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                    .tools(McpServerFeatures.SyncToolSpecification.builder().tool(tool)
                            .callHandler((exchange, request) -> echo(request)).build())
                    .build();
            servlet = transport;
            mcp = server::close;
        }
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/*");
        AtomicLong refused = new AtomicLong();
        context.addFilter(new FilterHolder((Filter) (request, response, chain) -> {
            String authorization = ((HttpServletRequest) request).getHeader("Authorization");
            if (API_KEY.equals(((HttpServletRequest) request).getHeader(API_KEY_HEADER))
                    || acceptBearer && authorization != null && authorization.startsWith("Bearer ey")) {
                chain.doFilter(request, response);
                return;
            }
            refused.incrementAndGet();
            HttpServletResponse http = (HttpServletResponse) response;
            http.setStatus(401);
            http.setContentType("application/json");
            http.getOutputStream().write("{\"error\":\"missing or wrong X-Api-Key\"}".getBytes(StandardCharsets.UTF_8));
        }), "/*", EnumSet.of(DispatcherType.REQUEST));
        jetty.setHandler(context);
        jetty.start();
        return new TargetServer(jetty, mcp, refused);
    }

    private static McpSchema.CallToolResult echo(McpSchema.CallToolRequest request) {
        Object text = request.arguments() == null ? null : request.arguments().get("text");
        return McpSchema.CallToolResult.builder().addTextContent("echo: " + text).build();
    }

    /** The MCP endpoint, {@code http://127.0.0.1:<port>/mcp}. */
    public String endpoint() {
        return "http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort() + "/mcp";
    }

    /** Requests refused for a missing or wrong API key since the start. */
    public long refused() {
        return refused.get();
    }

    @Override
    public void close() throws Exception {
        try {
            mcp.close();
        } finally {
            jetty.stop();
        }
    }

    /** {@code TargetServer [--mode stateless|streamable]}: runs until SIGTERM or until standard input closes. */
    public static void main(String[] args) throws Exception {
        boolean stateless = !(args.length == 2 && args[0].equals("--mode") && args[1].equals("streamable"));
        TargetServer server = start(stateless);
        Thread stop = new Thread(() -> {
            try {
                System.err.println("target: " + server.refused() + " request(s) refused for a missing or wrong API key");
                server.close();
            } catch (Exception e) {
                System.err.println("target: error while stopping: " + e.getMessage());
            }
        }, "target-shutdown");
        Runtime.getRuntime().addShutdownHook(stop);
        System.out.println("Target listening on " + server.endpoint() + " (" + (stateless ? "stateless" : "streamable")
                + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, Java " + Runtime.version() + ")");
        System.out.flush();
        // The harness keeps our standard input open; end of input means it is gone, so do not outlive it.
        while (System.in.read() >= 0) {
            // discard
        }
        System.exit(0);
    }
}
