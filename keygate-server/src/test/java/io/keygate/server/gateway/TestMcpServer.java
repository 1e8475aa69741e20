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

    private TestMcpServer(Server jetty, McpSyncServer mcp, List<String> authorizations,
                          AtomicReference<Predicate<HttpServletRequest>> admits) {
        this.jetty = jetty;
        this.mcp = mcp;
        this.authorizations = authorizations;
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
        AtomicReference<Predicate<HttpServletRequest>> admits = new AtomicReference<>(request -> true);
        context.addFilter(new org.eclipse.jetty.ee10.servlet.FilterHolder((jakarta.servlet.Filter) (request, response, chain) -> {
            String authorization = ((HttpServletRequest) request).getHeader("Authorization");
            authorizations.add(authorization == null ? "none" : authorization);
            if (!admits.get().test((HttpServletRequest) request)) {
                ((jakarta.servlet.http.HttpServletResponse) response).sendError(401);
                return;
            }
            chain.doFilter(request, response);
        }), "/*", java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
        jetty.setHandler(context);
        jetty.start();
        TestMcpServer server = new TestMcpServer(jetty, mcp, authorizations, admits);
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
