package io.keygate.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.keygate.cli.KeygateCliTests.Run;
import io.keygate.server.KeygateServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.keygate.cli.KeygateCliTests.concat;
import static io.keygate.cli.KeygateCliTests.runWithInput;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The commands the guides in docs/ use, against a running node and a small OAuth server: providers
 * created with the secret on standard input, workload access tokens piped into {@code tokens}, M2M,
 * API keys, 3LO sessions started and completed, gateways and their targets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GuideCommandsTests {
    private static final String CLIENT_SECRET = "cli-client-secret-42";
    private static final String API_KEY = "weather-key-77";
    private final List<String> tokenRequests = new CopyOnWriteArrayList<>();
    private HttpServer idp;
    private KeygateServer server;
    private String[] target;
    private String discoveryUrl;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String issuer = "http://127.0.0.1:" + idp.getAddress().getPort();
        discoveryUrl = issuer + "/.well-known/openid-configuration";
        idp.createContext("/.well-known/openid-configuration", exchange -> answer(exchange, """
                {"issuer":"%1$s","authorization_endpoint":"%1$s/authorize","token_endpoint":"%1$s/token",
                 "response_types_supported":["code"]}""".formatted(issuer)));
        idp.createContext("/token", exchange -> {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String basic = exchange.getRequestHeaders().getFirst("Authorization");
            tokenRequests.add(URLDecoder.decode(form, StandardCharsets.UTF_8) + " basic=" + (basic == null ? ""
                    : new String(Base64.getDecoder().decode(basic.substring("Basic ".length())), StandardCharsets.UTF_8)));
            answer(exchange, "{\"access_token\":\"m2m-token-" + tokenRequests.size()
                    + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
        });
        idp.start();
        server = KeygateCliTests.start(dataDir, null);
        target = new String[]{"--endpoint", server.localUrl().toString(), "--data-dir", dataDir.toString()};
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
        idp.stop(0);
    }

    private static void answer(HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    private Run cli(String input, String... args) {
        return runWithInput(input, concat(args, target));
    }

    private Run ok(String input, String... args) {
        Run run = cli(input, args);
        assertThat(run.exitCode()).as(run.err()).isZero();
        return run;
    }

    @Test
    void m2mWhenSecretPipedAndWorkloadTokenPipedThenClientCredentialsTokenReturned() {
        Run created = ok(CLIENT_SECRET + "\n", "providers", "create-oauth2", "m2m-idp", "--discovery-url", discoveryUrl,
                "--client-id", "cli-client");
        assertThat(created.out()).contains("oauth2credentialprovider/m2m-idp").contains("callbackUrl")
                .doesNotContain(CLIENT_SECRET);
        ok("", "workloads", "create", "m2m-agent");
        String wat = ok("", "workloads", "token", "m2m-agent").out().strip();
        assertThat(wat).isNotBlank().doesNotContain("\n").doesNotContain("{");

        Run token = ok(wat + "\n", "tokens", "get", "m2m-idp", "--flow", "M2M", "--scope", "api.read");
        assertThat(token.out()).contains("\"accessToken\" : \"m2m-token-");
        assertThat(tokenRequests).singleElement().satisfies(request -> assertThat(request)
                .contains("grant_type=client_credentials").contains("scope=api.read")
                .contains("cli-client:" + CLIENT_SECRET));
    }

    @Test
    void apiKeyWhenKeyPipedThenWorkloadGetsItBack(@TempDir Path files) throws Exception {
        Run created = ok(API_KEY, "providers", "create-api-key", "weather");
        assertThat(created.out()).contains("apikeycredentialprovider/weather").doesNotContain(API_KEY);
        ok("", "workloads", "create", "key-agent");
        Path watFile = files.resolve("wat");
        Files.writeString(watFile, ok("", "workloads", "token", "key-agent").out());

        Run key = ok("", "tokens", "api-key", "weather", "--workload-token-file", watFile.toString());
        assertThat(key.out()).contains("\"apiKey\" : \"" + API_KEY + "\"");
    }

    @Test
    void secretInputWhenEmptyOrMissingThenNamesTheOptionAndTheFix() {
        Run empty = cli("", "providers", "create-api-key", "empty-key");
        assertThat(empty.exitCode()).isEqualTo(1);
        assertThat(empty.err()).contains("--api-key-file").contains("standard input is empty");

        Run missing = cli("", "providers", "create-api-key", "missing-key", "--api-key-file", "no-such-file");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err()).contains("--api-key-file: no-such-file does not exist");

        Run asFlag = cli("", "providers", "create-oauth2", "flagged", "--client-id", "c", "--client-secret", "visible");
        assertThat(asFlag.exitCode()).as("a secret is never a flag").isEqualTo(2);
        assertThat(asFlag.err()).contains("Unknown options: '--client-secret'");
    }

    @Test
    void userFederationWhenNotConsentedThenSessionStartsAndEarlyCompletionSaysConsentNotFinished() {
        ok(CLIENT_SECRET, "providers", "create-oauth2", "users-idp", "--discovery-url", discoveryUrl,
                "--client-id", "cli-client");
        ok("", "workloads", "create", "user-agent", "--return-url", "https://app.example/oauth/return");
        String wat = ok("", "workloads", "token", "user-agent", "--user-id", "alice").out();

        Run started = ok(wat, "tokens", "get", "users-idp", "--flow", "USER_FEDERATION", "--scope", "read",
                "--return-url", "https://app.example/oauth/return");
        assertThat(started.out()).contains("\"sessionStatus\" : \"IN_PROGRESS\"").contains("authorizationUrl")
                .doesNotContain("accessToken");
        String sessionUri = started.out().replaceAll("(?s).*\"sessionUri\" : \"([^\"]+)\".*", "$1");

        Run early = cli("", "sessions", "complete", sessionUri, "--user-id", "alice");
        assertThat(early.exitCode()).isEqualTo(1);
        assertThat(early.err()).contains("AccessDeniedException").contains("CONSENT_NOT_FINISHED");
        Run neither = cli("", "sessions", "complete", sessionUri);
        assertThat(neither.exitCode()).isEqualTo(2);
        assertThat(neither.err()).contains("Missing required argument").contains("--user-id").contains("--user-token-file");
        Run both = cli(wat, "workloads", "token", "user-agent", "--user-id", "alice", "--user-token-file", "-");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
        assertThat(ok("", "sessions", "show", sessionUri).out()).contains("CONSENT_NOT_FINISHED");
    }

    @Test
    void gatewayWhenTargetsAddedWithEachCredentialThenReadyWithThatCredential(@TempDir Path files)
            throws Exception {
        ok(API_KEY, "providers", "create-api-key", "gateway-key");
        ok(CLIENT_SECRET, "providers", "create-oauth2", "gateway-idp", "--discovery-url", discoveryUrl,
                "--client-id", "cli-client");
        Run gateway = ok("", "gateways", "create", "tools", "--authorizer-type", "NONE");
        assertThat(gateway.out()).contains("\"gatewayUrl\"").contains("\"authorizerType\" : \"NONE\"");
        String gatewayId = gateway.out().replaceAll("(?s).*\"gatewayId\" : \"([^\"]+)\".*", "$1");
        Path openApi = files.resolve("weather.yaml");
        Files.writeString(openApi, """
                openapi: 3.0.3
                info: {title: Weather, version: "1"}
                servers: [{url: "https://weather.example/v1"}]
                paths:
                  /forecast:
                    get: {operationId: forecast, summary: The forecast}
                """);

        Run keyed = ok("", "gateways", "add-target", gatewayId, "weather", "--openapi-file", openApi.toString(),
                "--api-key-provider", "gateway-key", "--credential-location", "QUERY_PARAMETER",
                "--credential-parameter-name", "appid");
        assertThat(keyed.out()).contains("\"status\" : \"READY\"").contains("\"credentialLocation\" : \"QUERY_PARAMETER\"")
                .contains("\"credentialParameterName\" : \"appid\"").doesNotContain(API_KEY);
        Run machine = ok("", "gateways", "add-target", gatewayId, "reports", "--openapi-file", openApi.toString(),
                "--oauth-provider", "gateway-idp", "--grant-type", "CLIENT_CREDENTIALS", "--scope", "reports.read");
        assertThat(machine.out()).contains("\"status\" : \"READY\"").contains("\"grantType\" : \"CLIENT_CREDENTIALS\"");

        Run users = ok("", "gateways", "create", "users", "--authorizer-type", "CUSTOM_JWT", "--discovery-url",
                discoveryUrl, "--allowed-audience", "users-gateway");
        assertThat(users.out()).contains("\"allowedAudience\" : [ \"users-gateway\" ]");
        String usersId = users.out().replaceAll("(?s).*\"gatewayId\" : \"([^\"]+)\".*", "$1");
        Path tools = files.resolve("tools.json");
        Files.writeString(tools, "{\"tools\":[{\"name\":\"whoami\",\"description\":\"Who am I\","
                + "\"inputSchema\":{\"type\":\"object\"}}]}");
        Run consent = ok("", "gateways", "add-target", usersId, "graph", "--mcp-endpoint", discoveryUrl.replace("/.well-known/openid-configuration", "/mcp"),
                "--tool-schema-file", tools.toString(), "--oauth-provider", "gateway-idp", "--grant-type",
                "AUTHORIZATION_CODE", "--scope", "files.read", "--default-return-url", "https://app.example/oauth/return");
        assertThat(consent.out()).contains("\"status\" : \"READY\"").contains("\"grantType\" : \"AUTHORIZATION_CODE\"")
                .contains("https://app.example/oauth/return");

        Run both = cli("", "gateways", "add-target", gatewayId, "both", "--mcp-endpoint", "https://mcp.example/mcp",
                "--openapi-file", openApi.toString());
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");
        Run schemaWithoutServer = cli("", "gateways", "add-target", gatewayId, "lost", "--openapi-file", openApi.toString(),
                "--tool-schema-file", tools.toString());
        assertThat(schemaWithoutServer.exitCode()).isEqualTo(1);
        assertThat(schemaWithoutServer.err()).contains("--tool-schema-file").contains("--mcp-endpoint");
    }
}
