package io.keygate.demo;

import io.keygate.cli.ApiClient;
import io.keygate.config.ConfigLoader;
import io.keygate.config.KeygateConfig;
import io.keygate.crypto.MasterKeyLoader;
import io.keygate.demo.app.AgentApp;
import io.keygate.demo.app.KeygateLink;
import io.keygate.demo.idp.DemoIdp;
import io.keygate.demo.idp.IdpServlet;
import io.keygate.demo.mcp.FilesMcpServer;
import io.keygate.identity.principal.Hashes;
import io.keygate.server.KeygateServer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code keygate demo}: a Keygate node on a throw-away data directory, and next to it on one loopback
 * port the demo IdP ({@code /idp}), the demo MCP server ({@code /mcp}) and the demo agent's page
 * ({@code /}), all wired together through Keygate's real API. {@link #url()} is the one URL to open.
 */
public final class Demo implements AutoCloseable {
    static final String AGENT_CLIENT_ID = "demo-agent";
    private final Server web;
    private final FilesMcpServer mcp;
    private final KeygateServer keygate;
    private final KeygateLink link;
    private final URI url;

    private Demo(Server web, FilesMcpServer mcp, KeygateServer keygate, KeygateLink link, URI url) {
        this.web = web;
        this.mcp = mcp;
        this.keygate = keygate;
        this.link = link;
        this.url = url;
    }

    /**
     * @param port        the demo page's port (0: a free one)
     * @param keygatePort Keygate's port (0: a free one)
     * @param dataDir     an empty directory Keygate may use; the caller deletes it after {@link #close()}
     */
    public static Demo start(int port, int keygatePort, Path dataDir) throws Exception {
        Clock clock = Clock.systemUTC();
        Server web = new Server();
        ServerConnector connector = new ServerConnector(web);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        web.addConnector(connector);
        connector.open();
        URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
        DemoIdp idp = new DemoIdp(URI.create(base + "/idp"), clock);
        String agentSecret = Hashes.random(32);
        URI loginCallback = URI.create(base + "/app/login/callback");
        idp.register(new DemoIdp.Client(AGENT_CLIENT_ID, agentSecret, Set.of(loginCallback), KeygateSetup.GATEWAY_AUDIENCE,
                true, "Demo agent"));
        FilesMcpServer mcp = new FilesMcpServer(URI.create(base + "/idp/graph/me/files"));
        AgentApp app = AgentApp.create(idp.issuer(), AGENT_CLIENT_ID, agentSecret, loginCallback, clock);
        web.setHandler(context(idp, mcp, app, clock));
        KeygateServer keygate = null;
        KeygateLink link = null;
        try {
            web.start();
            keygate = KeygateServer.start(keygateConfig(keygatePort, dataDir), Map.of(MasterKeyLoader.ENVIRONMENT_VARIABLE,
                    randomMasterKey()));
            var admin = ApiClient.credentials(keygate.config().credentialsFile(), "keygate");
            KeygateSetup.Wiring wiring = KeygateSetup.run(keygate.localUrl(), admin, idp, AGENT_CLIENT_ID,
                    URI.create(base + "/mcp"), URI.create(base + "/app/oauth/return"));
            link = new KeygateLink(keygate.localUrl(), wiring.applicationKey());
            app.connect(wiring.gatewayUrl(), KeygateSetup.TARGET + "___" + FilesMcpServer.TOOL, link);
            return new Demo(web, mcp, keygate, link, URI.create(base + "/"));
        } catch (Exception | Error failure) {
            new Demo(web, mcp, keygate, link, base).close();
            throw failure;
        }
    }

    private static ServletContextHandler context(DemoIdp idp, FilesMcpServer mcp, AgentApp app, Clock clock) {
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder("idp", new IdpServlet(idp, clock)), "/idp/*");
        ServletHolder mcpHolder = new ServletHolder("mcp", mcp.servlet());
        mcpHolder.setAsyncSupported(true);
        context.addServlet(mcpHolder, "/mcp");
        context.addServlet(new ServletHolder("app", app), "/");
        return context;
    }

    private static KeygateConfig keygateConfig(int port, Path dataDir) {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("port", Integer.toString(port));
        overrides.put("host", "127.0.0.1");
        overrides.put("dataDir", dataDir.toString());
        // no KEYGATE_* variables: the demo must not pick up a real node's database or keys
        return ConfigLoader.load(null, Map.of(), overrides);
    }

    private static String randomMasterKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** The demo agent's page: the one URL to open. */
    public URI url() {
        return url;
    }

    /** Keygate's own URL (tests look at it). */
    public URI keygateUrl() {
        return keygate.localUrl();
    }

    @Override
    public void close() throws Exception {
        try {
            if (link != null) {
                link.close();
            }
            if (keygate != null) {
                keygate.close();
            }
            mcp.close();
        } finally {
            web.stop();
        }
    }
}
