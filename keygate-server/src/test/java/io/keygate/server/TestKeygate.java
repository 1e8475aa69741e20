package io.keygate.server;

import io.keygate.config.ConfigLoader;
import io.keygate.config.KeygateConfig;
import io.keygate.testkit.MutableClock;
import org.awaitility.Awaitility;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockagentcore.BedrockAgentCoreClient;
import software.amazon.awssdk.services.bedrockagentcorecontrol.BedrockAgentCoreControlClient;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * A real Keygate node on a free port with its own data directory (SQLite unless a database URL is
 * given), plus AWS SDK clients pointed at it with the credentials file it wrote.
 */
public record TestKeygate(KeygateServer server, Path dataDir, MutableClock clock) implements AutoCloseable {

    public static TestKeygate start(Path dataDir) throws Exception {
        return start(dataDir, Map.of(), Map.of());
    }

    public static TestKeygate start(Path dataDir, Map<String, String> environment, Map<String, String> overrides)
            throws Exception {
        Map<String, String> values = new HashMap<>(overrides);
        values.put("port", "0");
        values.put("dataDir", dataDir.toString());
        KeygateConfig config = ConfigLoader.load(null, Map.of(), values);
        MutableClock clock = new MutableClock();
        return new TestKeygate(KeygateServer.start(config, environment, clock), dataDir, clock);
    }

    public AwsCredentialsProvider adminCredentials() {
        return ProfileCredentialsProvider.builder()
                .profileFile(ProfileFile.builder().content(dataDir.resolve("credentials")).type(ProfileFile.Type.CREDENTIALS).build())
                .profileName(CredentialsFile.PROFILE)
                .build();
    }

    public BedrockAgentCoreControlClient controlClient() {
        return controlClient(adminCredentials());
    }

    public BedrockAgentCoreControlClient controlClient(AwsCredentialsProvider credentials) {
        return BedrockAgentCoreControlClient.builder()
                .endpointOverride(server.localUrl())
                .region(Region.EU_WEST_1)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    public BedrockAgentCoreClient dataClient(AwsCredentialsProvider credentials) {
        return BedrockAgentCoreClient.builder()
                .endpointOverride(server.localUrl())
                .region(Region.US_WEST_2)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    public static AwsCredentialsProvider credentials(String accessKeyId, String secret) {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret));
    }

    /** A fresh random master key, base64 as {@code KEYGATE_MASTER_KEY} takes it. */
    public static String newMasterKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** Waits until this node's key-rotation sweep is idle and no secret is sealed under a non-primary key. */
    public void awaitKeySweepDone() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            var status = server.services().keyRotation().status();
            return !status.sweep().running()
                    && status.keys().stream().allMatch(key -> key.primary() || key.sealedSecrets() == 0);
        });
    }

    /** The bytes of every database file in the data directory, for scans that no plaintext secret is stored. */
    public static String databaseText(Path dataDir) throws java.io.IOException {
        StringBuilder text = new StringBuilder();
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dataDir)) {
            for (Path file : files.filter(path -> path.getFileName().toString().startsWith("keygate.db")).toList()) {
                text.append(new String(java.nio.file.Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        return text.toString();
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
