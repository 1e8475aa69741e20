package io.keygate.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * nginx as a plain reverse proxy in front of the target: the baseline Keygate is compared with. It
 * keeps connections to the target open (an upstream {@code keepalive} pool), does not buffer, logs no
 * access, and adds {@code X-Api-Key} itself, so it does the same header work as the gateway without
 * validating anything. Its whole configuration, pid file, logs and temp directories live in a
 * directory of its own; it runs in the foreground ({@code daemon off}) so {@link #close()} can stop it.
 */
final class Nginx implements AutoCloseable {
    private final ChildProcess process;
    private final int port;
    private final String version;

    private Nginx(ChildProcess process, int port, String version) {
        this.process = process;
        this.port = port;
        this.version = version;
    }

    /**
     * Starts nginx on a free port of 127.0.0.1 proxying to {@code target}.
     *
     * @param workers {@code worker_processes}: "auto" (one per core, the default) or a number
     */
    static Nginx start(String binary, URI target, String workers, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("logs"));
        int port = Ports.free();
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, config(target, port, workers, dir), StandardCharsets.UTF_8);
        String version = version(binary);
        ChildProcess process = ChildProcess.start("nginx", List.of(binary, "-p", dir + "/", "-c", conf.toString()),
                Map.of(), dir);
        try {
            process.awaitPort(port, Duration.ofSeconds(15));
        } catch (IOException | InterruptedException | RuntimeException failure) {
            process.close();
            throw failure;
        }
        return new Nginx(process, port, version);
    }

    static String config(URI target, int port, String workers, Path dir) {
        String d = dir.toString();
        return String.join("\n",
                "# Written by the Keygate benchmark (bench/); removed with its temporary directory.",
                "daemon off;",
                "master_process on;",
                "worker_processes " + workers + ";",
                "pid " + d + "/nginx.pid;",
                "error_log " + d + "/logs/error.log warn;",
                "events { worker_connections 1024; }",
                "http {",
                "  access_log off;",
                "  client_body_temp_path " + d + "/client_body;",
                "  proxy_temp_path " + d + "/proxy;",
                "  fastcgi_temp_path " + d + "/fastcgi;",
                "  uwsgi_temp_path " + d + "/uwsgi;",
                "  scgi_temp_path " + d + "/scgi;",
                "  keepalive_requests 1000000;",
                "  keepalive_timeout 120s;",
                "  upstream mcp_target {",
                "    server " + target.getHost() + ":" + target.getPort() + ";",
                "    keepalive 64;",
                "    keepalive_requests 1000000;",
                "  }",
                "  server {",
                "    listen 127.0.0.1:" + port + ";",
                "    location / {",
                "      proxy_pass http://mcp_target;",
                "      proxy_http_version 1.1;",
                "      proxy_set_header Connection \"\";",
                "      proxy_set_header X-Api-Key " + TargetServer.API_KEY + ";",
                "      proxy_buffering off;",
                "    }",
                "  }",
                "}",
                "");
    }

    private static String version(String binary) {
        try {
            Process process = new ProcessBuilder(binary, "-v").redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            process.waitFor();
            return text.replace("nginx version: ", "");
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /** The proxied MCP endpoint, same path as the target's. */
    String endpoint(URI target) {
        return "http://127.0.0.1:" + port + target.getRawPath();
    }

    String version() {
        return version;
    }

    @Override
    public void close() {
        process.close();
    }
}
