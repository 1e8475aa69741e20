package io.keygate.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.keygate.access.AccessKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.CredentialProviderVendorType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Canary values put into every secret field (API keys, client secrets, access-key secrets) never
 * appear in the database files (security.md TV-1), in any log line at any level, or in an error body
 * (LG-1), across successful calls, failed signatures, validation errors and key rotation.
 */
class SecretsAtRestAndInLogsTests {
    private static final String API_KEY = "CANARY-apikey-5b1f0d";
    private static final String CLIENT_SECRET = "CANARY-clientsecret-a9e2c4";

    @Test
    void flowsWhenSecretsHandledThenNoCanaryInDatabaseLogsOrErrors(@TempDir Path dataDir) throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.classic.Level previous = root.getLevel();
        root.setLevel(ch.qos.logback.classic.Level.TRACE);
        context.getLogger("io.keygate").setLevel(ch.qos.logback.classic.Level.TRACE);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        List<String> canaries = new ArrayList<>(List.of(API_KEY, CLIENT_SECRET));
        List<String> errorMessages = new ArrayList<>();
        try (TestKeygate keygate = TestKeygate.start(dataDir)) {
            var control = keygate.controlClient();
            control.createApiKeyCredentialProvider(r -> r.name("canary-api").apiKey(API_KEY));
            control.createOauth2CredentialProvider(r -> r.name("canary-oauth")
                    .credentialProviderVendor(CredentialProviderVendorType.SLACK_OAUTH2)
                    .oauth2ProviderConfigInput(c -> c.slackOauth2ProviderConfig(s -> s.clientId("id").clientSecret(CLIENT_SECRET))));
            var issued = keygate.server().services().accessKeys().create(AccessKey.Role.ADMIN, null, null);
            canaries.add(issued.secretAccessKey());
            canaries.add(Files.readString(dataDir.resolve("master.key")).trim());
            String wrongSecret = "CANARY-wrongsecret-" + issued.secretAccessKey().substring(20);
            canaries.add(wrongSecret);
            try (var wrong = keygate.controlClient(TestKeygate.credentials(issued.accessKey().accessKeyId(), wrongSecret))) {
                assertThatThrownBy(() -> wrong.listWorkloadIdentities(r -> r.maxResults(1)))
                        .satisfies(error -> errorMessages.add(error.getMessage()));
            }
            assertThatThrownBy(() -> control.createApiKeyCredentialProvider(r -> r.name("bad name").apiKey(API_KEY)))
                    .satisfies(error -> errorMessages.add(error.getMessage()));
            assertThatThrownBy(() -> control.updateApiKeyCredentialProvider(r -> r.name("missing").apiKey(API_KEY)))
                    .satisfies(error -> errorMessages.add(error.getMessage()));
            keygate.server().services().keyRotation().rotate();
            org.awaitility.Awaitility.await().until(() -> !keygate.server().services().keyRotation().status().sweep().running());
        } finally {
            root.detachAppender(captured);
            root.setLevel(previous);
        }
        String logs = String.join("\n", captured.list.stream()
                .map(event -> event.getFormattedMessage() + " " + (event.getThrowableProxy() == null ? ""
                        : event.getThrowableProxy().getMessage())).toList());
        assertThat(captured.list).isNotEmpty();
        for (String canary : canaries) {
            assertThat(logs).as("logs").doesNotContain(canary);
            assertThat(errorMessages).as("error bodies").noneMatch(message -> message.contains(canary));
            assertThat(TestKeygate.databaseText(dataDir)).as("database files").doesNotContain(canary);
        }
    }
}
