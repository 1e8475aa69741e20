package io.keygate.server.identity;

import ch.qos.logback.classic.Level;
import io.keygate.server.TestKeygate;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.bedrockagentcore.model.Oauth2FlowType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.keygate.server.identity.IdentityFixture.RETURN_URL;
import static io.keygate.server.identity.IdentityFixture.SCRIPTED_PROVIDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole 3LO flow with every log at TRACE: no access, refresh or ID token, authorization code,
 * state, PKCE challenge, user JWT or workload access token appears in any log line or database file
 * (security.md LG-1, TV-1), and the refresh token is never in an API answer (TV-10).
 */
class DataPlaneSecretsTests {

    @Test
    void threeLeggedFlowWhenLoggedAtTraceThenNoSecretInLogsDatabaseOrAnswers(@TempDir Path dataDir) throws Exception {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level previous = root.getLevel();
        root.setLevel(Level.TRACE);
        context.getLogger("io.keygate").setLevel(Level.TRACE);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        root.addAppender(captured);
        List<String> secrets = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        try (IdentityFixture fixture = new IdentityFixture(dataDir)) {
            String userJwt = fixture.userJwt("canary-user");
            String wat = fixture.watForJwt(userJwt);
            secrets.addAll(List.of(userJwt, wat));
            fixture.tokenEndpoint.expiresIn("authorization_code", 30);
            var started = fixture.data.getResourceOauth2Token(r -> r.workloadIdentityToken(wat)
                    .resourceCredentialProviderName(SCRIPTED_PROVIDER).scopes("openid")
                    .oauth2Flow(Oauth2FlowType.USER_FEDERATION).resourceOauth2ReturnUrl(RETURN_URL).customState("canary-state"));
            IdentityFixture.BrowserRun run = fixture.open(started.authorizationUrl());
            var toIdp = IdentityFixture.query(run.locations().get(0));
            var toCallback = IdentityFixture.query(run.locations().get(1));
            secrets.addAll(List.of(toIdp.get("state"), toIdp.get("code_challenge"), toIdp.get("nonce"),
                    toCallback.get("code"), "keygate-client-secret", "canary-state"));
            assertThatThrownBy(() -> fixture.data.completeResourceTokenAuth(r -> r.sessionUri(started.sessionUri())
                    .userIdentifier(u -> u.userId("canary-user@example.com")))).satisfies(e -> answers.add(e.getMessage()));
            fixture.data.completeResourceTokenAuth(r -> r.sessionUri(started.sessionUri())
                    .userIdentifier(u -> u.userToken(userJwt)));
            answers.add(fixture.data.getResourceOauth2Token(r -> r.workloadIdentityToken(wat)
                    .resourceCredentialProviderName(SCRIPTED_PROVIDER).scopes("openid")
                    .oauth2Flow(Oauth2FlowType.USER_FEDERATION)).toString());
            secrets.addAll(fixture.tokenEndpoint.issuedTokens());
            assertThat(fixture.tokenEndpoint.grants()).contains("authorization_code", "refresh_token");
        } finally {
            root.detachAppender(captured);
            root.setLevel(previous);
        }
        assertThat(secrets).doesNotContainNull().hasSizeGreaterThan(10);
        // the IdP (mock-oauth2-server) and the AWS SDK client run in this JVM too; their logs are not Keygate's
        String logs = String.join("\n", captured.list.stream()
                .filter(event -> !event.getLoggerName().startsWith("no.nav.security")
                        && !event.getLoggerName().startsWith("software.amazon.awssdk")
                        && !event.getLoggerName().startsWith("okhttp3"))
                .map(event -> event.getFormattedMessage()
                + (event.getThrowableProxy() == null ? "" : " " + event.getThrowableProxy().getMessage())).toList());
        String database = TestKeygate.databaseText(dataDir);
        for (String secret : secrets) {
            assertThat(logs).as("logs").doesNotContain(secret);
            assertThat(database).as("database").doesNotContain(secret);
        }
        List<String> refreshTokens = secrets.subList(secrets.size() - 1, secrets.size());
        assertThat(answers).noneMatch(answer -> refreshTokens.stream().anyMatch(answer::contains));
    }
}
