package io.keygate.server.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A real MCP server (the official Java SDK, Streamable HTTP, on Jetty at 127.0.0.1:0) whose tools the
 * test can add while it runs, and which can demand a credential (401 without it).
 */
final class TestMcpServer implements AutoCloseable {
    private final Server jetty;
    private final McpSyncServer mcp;
    private final List<String> authorizations;
    private final AtomicReference<Predicate<HttpServletRequest>> admits;
    private volatile Runnable whileCalled = () -> { };
    private final Map<String, Integer> refused;

    private TestMcpServer(Server jetty, McpSyncServer mcp, List<String> authorizations, Map<String, Integer> refused,
                          AtomicReference<Predicate<HttpServletRequest>> admits) {
        this.jetty = jetty;
        this.mcp = mcp;
        this.authorizations = authorizations;
        this.refused = refused;
        this.admits = admits;
    }

    static TestMcpServer start(String... toolNames) throws Exception {
        var transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(new JacksonMcpJsonMapper(new ObjectMapper()))
                .mcpEndpoint("/mcp")
                .build();
        McpSyncServer mcp = McpServer.sync(transport)
                .serverInfo("test-tools", "1.0.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .build();
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder(transport);
        holder.setAsyncSupported(true);
        context.addServlet(holder, "/*");
        List<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
        Map<String, Integer> refused = new java.util.concurrent.ConcurrentHashMap<>();
        AtomicReference<Predicate<HttpServletRequest>> admits = new AtomicReference<>(request -> true);
        context.addFilter(new org.eclipse.jetty.ee10.servlet.FilterHolder((jakarta.servlet.Filter) (request, response, chain) -> {
            String authorization = ((HttpServletRequest) request).getHeader("Authorization");
            authorizations.add(authorization == null ? "none" : authorization);
            Integer status = authorization == null ? null : refused.get(authorization);
            if (status == null && !admits.get().test((HttpServletRequest) request)) {
                status = 401;
            }
            if (status != null) {
                ((jakarta.servlet.http.HttpServletResponse) response).sendError(status);
                return;
            }
            chain.doFilter(request, response);
        }), "/*", java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
        jetty.setHandler(context);
        jetty.start();
        TestMcpServer server = new TestMcpServer(jetty, mcp, authorizations, refused, admits);
        for (String name : toolNames) {
            server.addTool(name);
        }
        return server;
    }

    /** Adds a tool {@code name} taking one string argument {@code city}. */
    void addTool(String name) {
        McpSchema.Tool tool = McpSchema.Tool.builder().name(name).description("Tool " + name)
                .inputSchema(Map.of("type", "object", "properties", Map.of("city", Map.of("type", "string")),
                        "required", List.of("city")))
                .build();
        mcp.addTool(McpServerFeatures.SyncToolSpecification.builder().tool(tool)
                .callHandler((exchange, request) -> {
                    whileCalled.run();
                    return McpSchema.CallToolResult.builder().addTextContent(name + " called").build();
                })
                .build());
    }

    /** From now on, requests that fail {@code rule} get 401 (as a server behind an API key or OAuth would). */
    TestMcpServer admitOnly(Predicate<HttpServletRequest> rule) {
        admits.set(rule);
        return this;
    }

    /** Runs {@code action} inside every tool call before it answers (a test holds a call in flight with it). */
    void whileCalled(Runnable action) {
        whileCalled = action;
    }

    /** Adds a tool {@code name} that answers a text of {@code length} characters. */
    void addLargeTool(String name, int length) {
        addTool(name, (exchange, request) -> McpSchema.CallToolResult.builder().addTextContent("x".repeat(length)).build());
    }

    /** Adds a tool {@code name} that counts its calls in {@code entered} and answers once {@code release} opens. */
    void addBlockingTool(String name, java.util.concurrent.CountDownLatch release,
                         java.util.concurrent.atomic.AtomicInteger entered) {
        addTool(name, (exchange, request) -> {
            entered.incrementAndGet();
            try {
                release.await(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            return McpSchema.CallToolResult.builder().addTextContent(name + " released").build();
        });
    }

    private void addTool(String name, java.util.function.BiFunction<io.modelcontextprotocol.server.McpSyncServerExchange,
            McpSchema.CallToolRequest, McpSchema.CallToolResult> handler) {
        McpSchema.Tool tool = McpSchema.Tool.builder().name(name).description("Tool " + name)
                .inputSchema(Map.of("type", "object")).build();
        mcp.addTool(McpServerFeatures.SyncToolSpecification.builder().tool(tool).callHandler(handler).build());
    }

    /** Requests whose Authorization header is {@code authorization} are refused with {@code status} before MCP sees them. */
    void refuse(String authorization, int status) {
        refused.put(authorization, status);
    }

    /** The Authorization header of every request the server received ("none" when absent), in order. */
    List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    void clearAuthorizations() {
        authorizations.clear();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort() + "/mcp");
    }

    @Override
    public void close() throws Exception {
        try {
            mcp.close();
        } finally {
            jetty.stop();
        }
    }
}
