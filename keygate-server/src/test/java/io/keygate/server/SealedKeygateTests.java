package io.keygate.server;

import io.keygate.crypto.MasterKeyLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sealed by default (security.md TV-3): with a wrong or missing master key, a node starts, reports
 * {@code sealed} on /health, answers every secret-touching request with 503, and writes nothing in
 * plaintext; with the right key again, everything is back.
 */
class SealedKeygateTests {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> health(TestKeygate keygate) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(keygate.server().localUrl() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void startWhenMasterKeyWrongThenSealedAnd503UntilRightKeyReturns(@TempDir Path dataDir) throws Exception {
        String rightKey = TestKeygate.newMasterKey();
        try (TestKeygate first = TestKeygate.start(dataDir, Map.of(MasterKeyLoader.ENVIRONMENT_VARIABLE, rightKey), Map.of())) {
            first.controlClient().createApiKeyCredentialProvider(r -> r.name("kept").apiKey("value-kept"));
            assertThat(Files.exists(dataDir.resolve("master.key"))).isFalse();
        }
        String credentialsBefore = Files.readString(dataDir.resolve("credentials"));

        String wrongKey = TestKeygate.newMasterKey();
        try (TestKeygate sealed = TestKeygate.start(dataDir, Map.of(MasterKeyLoader.ENVIRONMENT_VARIABLE, wrongKey), Map.of())) {
            HttpResponse<String> health = health(sealed);
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("\"status\":\"sealed\"").contains("master key");
            assertThatThrownBy(() -> sealed.controlClient().getApiKeyCredentialProvider(r -> r.name("kept")))
                    .isInstanceOfSatisfying(AwsServiceException.class, error -> {
                        assertThat(error.statusCode()).isEqualTo(503);
                        assertThat(error.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailableException");
                        assertThat(error.getMessage()).contains("sealed");
                    });
        }
        assertThat(Files.readString(dataDir.resolve("credentials"))).isEqualTo(credentialsBefore);

        try (TestKeygate reopened = TestKeygate.start(dataDir, Map.of(MasterKeyLoader.ENVIRONMENT_VARIABLE, rightKey), Map.of())) {
            assertThat(health(reopened).statusCode()).isEqualTo(200);
            assertThat(reopened.server().services().apiKeyProviders().apiKey("kept")).isEqualTo("value-kept");
        }
    }

    @Test
    void startWhenKeyFileLostAfterFirstStartThenSealedAndNoNewKeyGenerated(@TempDir Path dataDir) throws Exception {
        try (TestKeygate first = TestKeygate.start(dataDir)) {
            assertThat(Files.getPosixFilePermissions(dataDir.resolve("master.key")))
                    .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            assertThat(Files.getPosixFilePermissions(dataDir.resolve("credentials")))
                    .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        }
        Files.delete(dataDir.resolve("master.key"));
        try (TestKeygate sealed = TestKeygate.start(dataDir)) {
            assertThat(sealed.server().isSealed()).isTrue();
            assertThat(health(sealed).body()).contains("restore the key file");
        }
        assertThat(Files.exists(dataDir.resolve("master.key"))).isFalse();
    }
}
