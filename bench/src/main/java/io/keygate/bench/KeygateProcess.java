package io.keygate.bench;

import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockagentcorecontrol.BedrockAgentCoreControlClient;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.AuthorizerType;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.TargetStatus;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keygate as its own process ({@code java -jar keygate-cli/target/keygate.jar serve --port 0}) with a
 * fresh data directory (SQLite) and a random {@code KEYGATE_MASTER_KEY}, so the server does not share
 * a JVM with the load generator. {@link #configureGateway} sets it up through the AgentCore control API
 * with the AWS SDK for Java v2, as any user would: an API-key credential provider, a CUSTOM_JWT
 * gateway and an MCP server target that gets the key in {@code X-Api-Key} (its tool schema given inline).
 */
final class KeygateProcess implements AutoCloseable {
    static final String TARGET_NAME = "bench";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("Keygate listening on (http://127\\.0\\.0\\.1:\\d+)");
    private static final Pattern CREDENTIALS = Pattern.compile("Credentials file: (.+) \\(profile \\[keygate]\\)");
    private final ChildProcess process;
    private final URI url;
    private final Path credentialsFile;
    private final JavaRuntime java;

    private KeygateProcess(ChildProcess process, URI url, Path credentialsFile, JavaRuntime java) {
        this.process = process;
        this.url = url;
        this.credentialsFile = credentialsFile;
        this.java = java;
    }

    /**
     * @param jar         keygate-cli/target/keygate.jar
     * @param java        the JDK to run it with
     * @param extraJvmOptions more JVM options (e.g. a flight recording)
     * @param dir         data directory and logs
     */
    static KeygateProcess start(Path jar, JavaRuntime java, List<String> extraJvmOptions, Path dir)
            throws IOException, InterruptedException {
        byte[] masterKey = new byte[32];
        new SecureRandom().nextBytes(masterKey);
        return start(jar, java, extraJvmOptions, dir, List.of(), Base64.getEncoder().encodeToString(masterKey));
    }

    /**
     * A node with more {@code serve} arguments (e.g. {@code --database-url}) and the given master key
     * (nodes on one database share it).
     */
    static KeygateProcess start(Path jar, JavaRuntime java, List<String> extraJvmOptions, Path dir,
                                List<String> serveArguments, String masterKey) throws IOException, InterruptedException {
        Path dataDir = Files.createDirectories(dir.resolve("data"));
        List<String> command = new ArrayList<>();
        command.add(java.binary());
        command.addAll(java.keygateOptions());
        command.addAll(extraJvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "serve", "--port", "0", "--host", "127.0.0.1",
                "--data-dir", dataDir.toString()));
        command.addAll(serveArguments);
        ChildProcess process = ChildProcess.start(dir.getFileName().toString(), command,
                Map.of("KEYGATE_MASTER_KEY", masterKey), dir);
        try {
            Matcher listening = process.awaitOutput(LISTENING, Duration.ofSeconds(90));
            Matcher credentials = process.awaitOutput(CREDENTIALS, Duration.ofSeconds(10));
            return new KeygateProcess(process, URI.create(listening.group(1)), Path.of(credentials.group(1)), java);
        } catch (IOException | InterruptedException | RuntimeException failure) {
            process.close();
            throw failure;
        }
    }

    /**
     * Creates the API-key provider, the CUSTOM_JWT gateway trusting {@code discoveryUrl} for
     * {@code audience}, and the MCP target at {@code targetEndpoint}; returns the gateway's MCP URL.
     */
    String configureGateway(String targetEndpoint, String discoveryUrl, String audience) throws InterruptedException {
        try (BedrockAgentCoreControlClient control = controlClient()) {
            String providerArn = control.createApiKeyCredentialProvider(r -> r.name("bench-key")
                    .apiKey(TargetServer.API_KEY)).credentialProviderArn();
            String gatewayId = control.createGateway(r -> r.name("bench").authorizerType(AuthorizerType.CUSTOM_JWT)
                    .authorizerConfiguration(a -> a.customJWTAuthorizer(j -> j.discoveryUrl(discoveryUrl)
                            .allowedAudience(audience)))).gatewayId();
            String targetId = createTarget(gatewayId, targetEndpoint, providerArn);
            awaitReady(control, gatewayId, targetId);
            return url + "/gateways/" + gatewayId + "/mcp";
        }
    }

    /**
     * CreateGatewayTarget with the tool schema inline ({@code mcpServer.mcpToolSchema}, which SDK 2.40.3
     * cannot send yet, hence a SigV4-signed request of our own). Inline because Keygate lists an MCP
     * target's tools without the target's credential, and this target refuses every request without
     * its API key.
     */
    private String createTarget(String gatewayId, String targetEndpoint, String providerArn) throws InterruptedException {
        ObjectNode body = echoTarget(TARGET_NAME, targetEndpoint);
        ObjectNode apiKey = body.putArray("credentialProviderConfigurations").addObject()
                .put("credentialProviderType", "API_KEY").putObject("credentialProvider")
                .putObject("apiKeyCredentialProvider");
        apiKey.put("providerArn", providerArn).put("credentialParameterName", TargetServer.API_KEY_HEADER)
                .put("credentialLocation", "HEADER");
        try {
            return new SignedCalls(credentials().resolveCredentials()).call(url, "/gateways/" + gatewayId + "/targets/", body)
                    .path("targetId").asText();
        } catch (IOException failure) {
            throw new IllegalStateException("CreateGatewayTarget failed: " + failure.getMessage(), failure);
        }
    }

    /** The body of CreateGatewayTarget for an MCP server at {@code endpoint} with the echo tool's schema inline. */
    static ObjectNode echoTarget(String name, String endpoint) {
        ObjectNode tool = JSON.createObjectNode().put("name", TargetServer.TOOL).put("description", "Echoes its text");
        tool.putObject("inputSchema").put("type", "object").putObject("properties").putObject("text").put("type", "string");
        ObjectNode schema = JSON.createObjectNode();
        schema.putArray("tools").add(tool);
        ObjectNode body = JSON.createObjectNode().put("name", name);
        body.putObject("targetConfiguration").putObject("mcp").putObject("mcpServer").put("endpoint", endpoint)
                .putObject("mcpToolSchema").put("inlinePayload", schema.toString());
        return body;
    }

    static void awaitReady(BedrockAgentCoreControlClient control, String gatewayId, String targetId)
            throws InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            var answer = control.getGatewayTarget(r -> r.gatewayIdentifier(gatewayId).targetId(targetId));
            if (answer.status() == TargetStatus.READY) {
                return;
            }
            if (answer.status() == TargetStatus.FAILED) {
                throw new IllegalStateException("the gateway target failed: " + answer.statusReasons());
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the gateway target was not READY within 10 s");
    }

    /** This node, signing with the admin key of {@code first} (a second node on the same database). */
    KeygateProcess withCredentialsOf(KeygateProcess first) {
        return new KeygateProcess(process, url, first.credentialsFile, java);
    }

    URI url() {
        return url;
    }

    BedrockAgentCoreControlClient controlClient() {
        return BedrockAgentCoreControlClient.builder()
                .endpointOverride(url)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    ProfileCredentialsProvider credentials() {
        return ProfileCredentialsProvider.builder()
                .profileFile(ProfileFile.builder().content(credentialsFile).type(ProfileFile.Type.CREDENTIALS).build())
                .profileName("keygate").build();
    }

    JavaRuntime java() {
        return java;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.close();
    }
}
