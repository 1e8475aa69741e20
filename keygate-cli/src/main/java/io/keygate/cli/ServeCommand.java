package io.keygate.cli;

import io.keygate.config.ConfigLoader;
import io.keygate.config.KeygateConfig;
import io.keygate.server.KeygateServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

/** {@code keygate serve}: runs one node until SIGTERM or Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run Keygate: one HTTP port, SQLite under the data dir by default (PostgreSQL with --database-url).")
final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", description = "Port to listen on (default 8600; 0 picks a free one).")
    Integer port;
    @Option(names = "--host", description = "Interface to listen on (default 127.0.0.1).")
    String host;
    @Option(names = "--data-dir", description = "Data directory (default ~/.keygate).")
    Path dataDir;
    @Option(names = "--database-url", description = "JDBC URL, e.g. jdbc:postgresql://db:5432/keygate (default: SQLite in the data dir).")
    String databaseUrl;
    @Option(names = "--public-url", description = "Base URL users and IdPs reach Keygate at (default http://host:port).")
    String publicUrl;
    @Option(names = "--config", description = "YAML config file; flags and KEYGATE_* variables override it.")
    Path config;
    @Option(names = "--gateway-target-timeout-seconds",
            description = "Default bound on one call to a gateway target (default 30).")
    Integer targetTimeoutSeconds;
    @Option(names = "--gateway-target-max-response-bytes",
            description = "Default cap on a gateway target's answer (default 1048576).")
    Integer targetMaxResponseBytes;
    @Option(names = "--gateway-target-max-concurrent-calls",
            description = "Default number of calls run at once towards one gateway target (default 50).")
    Integer targetMaxConcurrentCalls;

    @Override
    public Integer call() throws Exception {
        KeygateConfig settings = ConfigLoader.load(config, System.getenv(), overrides());
        KeygateServer server = KeygateServer.start(settings, System.getenv());
        StopSignal stop = new StopSignal("keygate", server, () -> { });
        printBanner(server);
        stop.await();
        return 0;
    }

    private Map<String, String> overrides() {
        Map<String, String> values = new HashMap<>();
        values.put("port", Objects.toString(port, null));
        values.put("host", host);
        values.put("dataDir", Objects.toString(dataDir, null));
        values.put("databaseUrl", databaseUrl);
        values.put("publicUrl", publicUrl);
        values.put("gateway.targetTimeoutSeconds", Objects.toString(targetTimeoutSeconds, null));
        values.put("gateway.targetMaxResponseBytes", Objects.toString(targetMaxResponseBytes, null));
        values.put("gateway.targetMaxConcurrentCalls", Objects.toString(targetMaxConcurrentCalls, null));
        return values;
    }

    private static void printBanner(KeygateServer server) {
        KeygateConfig config = server.config();
        System.out.println("Keygate listening on " + server.localUrl() + " (public URL " + server.publicUrl() + ")");
        System.out.println("Database: " + (config.databaseUrl() == null ? config.sqliteFile() : "PostgreSQL"));
        System.out.println("Credentials file: " + config.credentialsFile() + " (profile [keygate])"
                + (server.createdCredentials() ? " - created now with a new admin access key" : ""));
        if (server.isSealed()) {
            System.out.println("SEALED: the keyring cannot be opened; /health says why. Secrets cannot be read or written.");
        }
        System.out.println("Try: AWS_SHARED_CREDENTIALS_FILE=" + config.credentialsFile() + " AWS_PROFILE=keygate "
                + "AWS_DEFAULT_REGION=" + config.region() + " aws bedrock-agentcore-control list-workload-identities --endpoint-url " + server.localUrl());
        System.out.flush();
    }
}
