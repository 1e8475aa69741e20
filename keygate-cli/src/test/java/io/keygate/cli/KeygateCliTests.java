package io.keygate.cli;

import io.keygate.config.ConfigLoader;
import io.keygate.server.KeygateServer;
import io.keygate.testkit.MutableClock;
import io.keygate.testkit.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The admin commands as a user types them, against a running node: they sign with the credentials
 * file the node wrote, like any AWS client, on SQLite and on PostgreSQL.
 */
class KeygateCliTests {

    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        return runWithInput("", args);
    }

    /** Runs the command as typed, with {@code input} piped to its standard input. */
    static synchronized Run runWithInput(String input, String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        InputStream originalIn = System.in;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
            int code = Main.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
            System.setIn(originalIn);
        }
    }

    /** The clock of the nodes this class starts: old keys retire after a grace, which the test moves past. */
    private static final MutableClock CLOCK = new MutableClock();

    static KeygateServer start(Path dataDir, String databaseUrl) throws Exception {
        Map<String, String> values = new HashMap<>();
        values.put("port", "0");
        values.put("dataDir", dataDir.toString());
        if (databaseUrl != null) {
            values.put("databaseUrl", databaseUrl);
            values.put("databaseUser", "postgres");
            values.put("databasePassword", "postgres");
        }
        return KeygateServer.start(ConfigLoader.load(null, Map.of(), values), Map.of(), CLOCK);
    }

    @Test
    void commandsWhenNodeOnSqliteThenWorkloadsAccessKeysAndRotationWork(@TempDir Path dataDir) throws Exception {
        try (KeygateServer server = start(dataDir, null)) {
            exerciseCommands(server, dataDir);
        }
    }

    @Test
    void commandsWhenNodeOnPostgresqlThenWorkloadsAccessKeysAndRotationWork(@TempDir Path dataDir) throws Exception {
        try (KeygateServer server = start(dataDir, TestPostgres.newDatabase())) {
            exerciseCommands(server, dataDir);
        }
    }

    private static void exerciseCommands(KeygateServer server, Path dataDir) {
        String[] target = {"--endpoint", server.localUrl().toString(), "--data-dir", dataDir.toString()};
        Run created = run(concat(new String[]{"workloads", "create", "cli-agent", "--return-url", "http://localhost:9/cb"}, target));
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out()).contains("workload-identity/cli-agent");

        assertThat(run(concat(new String[]{"workloads", "list"}, target)).out()).contains("cli-agent");

        Run duplicate = run(concat(new String[]{"workloads", "create", "cli-agent"}, target));
        assertThat(duplicate.exitCode()).isEqualTo(1);
        assertThat(duplicate.err()).contains("ConflictException").contains("already exists");

        Run key = run(concat(new String[]{"access-keys", "create", "--workload", "cli-agent"}, target));
        assertThat(key.out()).contains("\"role\" : \"WORKLOAD\"").contains("secretAccessKey");
        assertThat(run(concat(new String[]{"access-keys", "list"}, target)).out())
                .contains("cli-agent").doesNotContain("secretAccessKey");

        Run rotated = run(concat(new String[]{"keys", "rotate"}, target));
        assertThat(rotated.exitCode()).as(rotated.err()).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() -> run(concat(new String[]{"keys", "status"}, target)).out()
                .contains("\"running\" : false"));
        // the old key still opens workload access tokens minted before the rotation until they expire
        assertThat(run(concat(new String[]{"keys", "status"}, target)).out()).doesNotContain("\"enabled\" : false");
        Duration grace = Duration.ofHours(2);
        CLOCK.advance(grace);
        server.services().keyRotation().resumeIfUnfinished(); // the node's housekeeping tick
        await().atMost(Duration.ofSeconds(30)).until(() -> server.services().keyRotation().status().keys().stream()
                .anyMatch(keyringKey -> !keyringKey.enabled()));
        CLOCK.advance(grace.negated()); // back, so the CLI's signatures are within the allowed skew
        assertThat(run(concat(new String[]{"keys", "status"}, target)).out()).contains("\"enabled\" : false");
        assertThat(run(concat(new String[]{"providers", "list"}, target)).exitCode()).isZero();

        Run trusted = run(concat(new String[]{"workloads", "trust", "cli-agent", "--issuer", "https://idp.example",
                "--jwks-uri", "https://idp.example/jwks", "--audience", "agent-app"}, target));
        assertThat(trusted.exitCode()).as(trusted.err()).isZero();
        assertThat(trusted.out()).contains("https://idp.example/jwks");
        assertThat(server.services().workloadIdentities().get("cli-agent").trustedIssuers()).hasSize(1);

        exerciseBindLogin(server, target);

        String sessionUri = startSession(server);
        Run shown = run(concat(new String[]{"sessions", "show", sessionUri}, target));
        assertThat(shown.exitCode()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("\"status\" : \"CREATED\"").contains("\"principalId\" : \"cli-user\"")
                .contains("\"event\" : \"created\"").doesNotContain("state\" :").doesNotContain("codeVerifier");
        assertThat(run(concat(new String[]{"audit", "--max", "500"}, target)).out()).contains("auth-session-started");
        exerciseTargetLimits(server, target);
    }

    private static void exerciseTargetLimits(KeygateServer server, String[] target) {
        var gateway = server.services().gateways().create(new io.keygate.gateway.GatewayInput("cli-gateway", null,
                "arn:aws:iam::123456789012:role/gateway", null, null, "NONE", null, null, null, null, null, null));
        var lambda = io.keygate.json.Json.MAPPER.createObjectNode();
        lambda.putObject("mcp").putObject("lambda").put("lambdaArn", "arn:aws:lambda:us-east-1:123456789012:function:f")
                .putObject("toolSchema").putArray("inlinePayload").addObject().put("name", "ping")
                .put("description", "Ping").putObject("inputSchema").put("type", "object");
        String targetId = server.services().gatewayTargets().create(gateway.gatewayId(),
                new io.keygate.gateway.GatewayTargetInput("cli-target", null, lambda, null, null)).targetId();
        String[] ids = {"gateways", "limits", gateway.gatewayId(), targetId};
        Run timeout = run(concat(concat(ids, new String[]{"--timeout-seconds", "90"}), target));
        assertThat(timeout.exitCode()).as(timeout.err()).isZero();
        Run size = run(concat(concat(ids, new String[]{"--max-response-bytes", "65536", "--max-concurrent-calls", "7"}),
                target));
        assertThat(size.out()).as("the timeout set before is kept").contains("\"timeoutSeconds\" : 90")
                .contains("\"maxResponseBytes\" : 65536").contains("\"maxConcurrentCalls\" : 7");
        assertThat(server.services().targetLimits().effective(gateway.gatewayId(), targetId).timeout()).hasSeconds(90);
        Run bad = run(concat(concat(ids, new String[]{"--timeout-seconds", "0"}), target));
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("timeoutSeconds");
        Run reset = run(concat(concat(ids, new String[]{"--reset"}), target));
        assertThat(reset.out()).contains("\"timeoutSeconds\" : 30").doesNotContain("90");
    }

    /** {@code workloads bind-login}: configure (secret prompted), the URLs to use, refusals that name the fix, remove. */
    private static void exerciseBindLogin(KeygateServer server, String[] target) {
        HttpServer idp = discoveryDocument();
        String discoveryUrl = "http://127.0.0.1:" + idp.getAddress().getPort() + "/.well-known/openid-configuration";
        try {
            Run set = runWithInput("cli-binding-secret\n", concat(new String[]{"workloads", "bind-login", "cli-agent",
                    "--discovery-url", discoveryUrl, "--client-id", "cli-binding", "--client-secret-file", "-",
                    "--scope", "email"}, target));
            assertThat(set.exitCode()).as(set.err()).isZero();
            assertThat(set.out()).contains("\"returnUrl\" : \"" + server.publicUrl() + "/identities/oauth2/bind\"")
                    .contains("/identities/oauth2/bind/callback").contains("[ \"openid\", \"email\" ]")
                    .doesNotContain("cli-binding-secret");
            assertThat(server.services().workloadIdentities().bindingLoginSecret("cli-agent")).hasValue("cli-binding-secret");
        } finally {
            idp.stop(0);
        }
        Run unreachable = run(concat(new String[]{"workloads", "bind-login", "cli-agent", "--discovery-url", discoveryUrl,
                "--client-id", "cli-binding"}, target));
        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.err()).contains("discoveryUrl");
        Run missing = run(concat(new String[]{"workloads", "bind-login", "cli-agent", "--discovery-url", discoveryUrl,
                "--client-id", "cli-binding", "--client-secret-file", "-"}, target));
        assertThat(missing.err()).contains("--client-secret-file: standard input is empty");
        Run removed = run(concat(new String[]{"workloads", "bind-login", "cli-agent", "--remove"}, target));
        assertThat(removed.exitCode()).as(removed.err()).isZero();
        assertThat(server.services().workloadIdentities().get("cli-agent").bindingLogin()).isNull();
        assertThat(server.services().workloadIdentities().bindingLoginSecret("cli-agent")).isEmpty();
    }

    /** An OpenID Provider's discovery document on loopback (only the document: nothing signs in here). */
    private static HttpServer discoveryDocument() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            String issuer = "http://127.0.0.1:" + http.getAddress().getPort();
            byte[] document = ("{\"issuer\":\"" + issuer + "\",\"authorization_endpoint\":\"" + issuer + "/authorize\","
                    + "\"token_endpoint\":\"" + issuer + "/token\",\"jwks_uri\":\"" + issuer + "/jwks\","
                    + "\"response_types_supported\":[\"code\"]}").getBytes(StandardCharsets.UTF_8);
            http.createContext("/.well-known/openid-configuration", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, document.length);
                exchange.getResponseBody().write(document);
                exchange.close();
            });
            http.start();
            return http;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A consent session started the way GetResourceOauth2Token starts one. */
    private static String startSession(KeygateServer server) {
        var services = server.services();
        var admin = services.accessKeys().create(io.keygate.access.AccessKey.Role.ADMIN, null, null).accessKey();
        services.oauth2Providers().create(new io.keygate.identity.provider.Oauth2ProviderInput("cli-idp", "CustomOauth2",
                "customOauth2ProviderConfig", "client", "secret", null, null, null,
                new io.keygate.identity.provider.AuthorizationServerMetadata("https://idp.example",
                        "https://idp.example/authorize", "https://idp.example/token", java.util.List.of("code"),
                        java.util.List.of(), null, false), null, null));
        String wat = services.workloadAccessTokens().forUserId(admin, "cli-agent", "cli-user");
        return services.resourceTokens().getResourceOauth2Token(admin, new io.keygate.identity.token.ResourceTokenService
                .Request(wat, "cli-idp", java.util.List.of("read"), "USER_FEDERATION", null, null, null, null, null, null,
                null)).sessionUri();
    }

    @Test
    void commandsWhenNoNodeRunningThenSaysHowToStartOne(@TempDir Path dataDir) throws Exception {
        try (KeygateServer server = start(dataDir, null)) {
            assertThat(server.isSealed()).isFalse();
        }
        Run run = run("workloads", "list", "--endpoint", "http://127.0.0.1:1", "--data-dir", dataDir.toString());
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("cannot reach Keygate").contains("./keygate serve");
    }

    static String[] concat(String[] first, String[] second) {
        String[] all = new String[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
