package io.keygate.server.identity;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.bedrockagentcore.model.GetResourceOauth2TokenResponse;
import software.amazon.awssdk.services.bedrockagentcore.model.Oauth2FlowType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.keygate.server.identity.IdentityFixture.SCRIPTED_PROVIDER;
import static io.keygate.server.identity.IdentityFixture.RETURN_URL;
import static io.keygate.server.identity.IdentityFixture.WORKLOAD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vault's refresh behaviour against a real IdP: refresh before expiry, single-flight under
 * concurrency (security.md TV-4), rotated tokens kept together (TV-5), {@code invalid_grant} terminal
 * and transient failures kept (TV-6), another user's or workload's token never served (TV-8).
 */
class TokenVaultIntegrationTests {
    private IdentityFixture fixture;

    @BeforeEach
    void start(@TempDir Path dataDir) throws Exception {
        fixture = new IdentityFixture(dataDir);
    }

    @AfterEach
    void stop() throws Exception {
        fixture.close();
    }

    private GetResourceOauth2TokenResponse token(String wat) {
        return fixture.data.getResourceOauth2Token(r -> r.workloadIdentityToken(wat).resourceCredentialProviderName(SCRIPTED_PROVIDER)
                .scopes("openid").oauth2Flow(Oauth2FlowType.USER_FEDERATION).resourceOauth2ReturnUrl(RETURN_URL));
    }

    /** Consents and completes for {@code userId}; the first access token expires in {@code expirySeconds}. */
    private String grant(String userId, long expirySeconds) throws Exception {
        String wat = fixture.watForUserId(userId);
        GetResourceOauth2TokenResponse started = token(wat);
        fixture.tokenEndpoint.expiresIn("authorization_code", expirySeconds);
        IdentityFixture.BrowserRun run = fixture.open(started.authorizationUrl());
        String sessionUri = IdentityFixture.query(run.finalLocation()).get("session_id");
        fixture.data.completeResourceTokenAuth(r -> r.sessionUri(sessionUri).userIdentifier(u -> u.userId(userId)));
        fixture.tokenEndpoint.clear();
        return wat;
    }

    @Test
    void getResourceOauth2TokenWhenNearExpiryThenRefreshedOnceAndNewTokenServed() throws Exception {
        String wat = grant("refresh-user", 30);
        String before = fixture.keygate.server().services().userTokenVault().inspect(WORKLOAD, "user-id:refresh-user",
                SCRIPTED_PROVIDER).orElseThrow().accessTokenExpiresAt().toString();
        String refreshed = token(wat).accessToken();
        assertThat(refreshed).isNotBlank();
        assertThat(fixture.tokenEndpoint.grants()).containsExactly("refresh_token");
        var entry = fixture.keygate.server().services().userTokenVault().inspect(WORKLOAD, "user-id:refresh-user", SCRIPTED_PROVIDER)
                .orElseThrow();
        assertThat(entry.generation()).isEqualTo(2);
        assertThat(entry.accessTokenExpiresAt().toString()).isNotEqualTo(before);
        assertThat(token(wat).accessToken()).isEqualTo(refreshed);
        assertThat(fixture.tokenEndpoint.grants()).containsExactly("refresh_token");
    }

    @Test
    void getResourceOauth2TokenWhenRefreshAnswerHasNoRefreshTokenThenOldOneKeptForNextRefresh() throws Exception {
        String wat = grant("keeps-rt-user", 30);
        fixture.tokenEndpoint.withholdRefreshTokenOnRefresh();
        fixture.tokenEndpoint.expiresIn("refresh_token", 30);
        String first = token(wat).accessToken();
        String second = token(wat).accessToken();
        assertThat(first).isNotBlank();
        assertThat(second).isNotBlank().isNotEqualTo(first);
        assertThat(fixture.tokenEndpoint.grants()).containsExactly("refresh_token", "refresh_token");
        assertThat(fixture.keygate.server().services().userTokenVault().inspect(WORKLOAD, "user-id:keeps-rt-user",
                SCRIPTED_PROVIDER).orElseThrow().generation()).isEqualTo(3);
    }

    @Test
    void getResourceOauth2TokenWhenManyConcurrentCallsOnExpiredTokenThenIdpSeesOneRefresh() throws Exception {
        String wat = grant("storm-user", 1);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> calls = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                calls.add(pool.submit(() -> token(wat).accessToken()));
            }
            List<String> tokens = new ArrayList<>();
            for (Future<String> call : calls) {
                tokens.add(call.get(60, TimeUnit.SECONDS));
            }
            assertThat(tokens).doesNotContainNull().hasSize(32);
            assertThat(tokens.stream().distinct()).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(fixture.tokenEndpoint.grants()).containsExactly("refresh_token");
    }

    @Test
    void getResourceOauth2TokenWhenRefreshRefusedWithInvalidGrantThenNeedsReconsentAndNewSession() throws Exception {
        String wat = grant("revoked-user", 30);
        fixture.tokenEndpoint.failNext(400);
        GetResourceOauth2TokenResponse answer = token(wat);
        assertThat(answer.accessToken()).isNull();
        assertThat(answer.authorizationUrl()).contains("/identities/oauth2/authorize?request_uri=");
        assertThat(fixture.keygate.server().services().userTokenVault().inspect(WORKLOAD, "user-id:revoked-user", SCRIPTED_PROVIDER)
                .orElseThrow().needsReauth()).isEqualTo("invalid_grant");
        assertThat(fixture.keygate.server().services().audit().list(null, 1000).items())
                .anyMatch(event -> event.event().equals("reconsent-required") && "invalid_grant".equals(event.outcome())
                        && SCRIPTED_PROVIDER.equals(event.provider()));
    }

    @Test
    void getResourceOauth2TokenWhenIdpUnavailableDuringRefreshThenOldTokenKeptAndServed() throws Exception {
        String wat = grant("outage-user", 30);
        for (int i = 0; i < 3; i++) {
            fixture.tokenEndpoint.failNext(503);
        }
        String served = token(wat).accessToken();
        assertThat(served).isNotBlank();
        var entry = fixture.keygate.server().services().userTokenVault().inspect(WORKLOAD, "user-id:outage-user", SCRIPTED_PROVIDER)
                .orElseThrow();
        assertThat(entry.needsReauth()).isNull();
        assertThat(entry.generation()).isEqualTo(1);
        assertThat(entry.leaseOwner()).isNull();
        assertThat(fixture.tokenEndpoint.grants()).containsExactly("refresh_token", "refresh_token", "refresh_token");
    }

    @Test
    void getResourceOauth2TokenWhenOtherUserOrForceAuthenticationThenNoTokenOfAnotherUser() throws Exception {
        String owner = grant("owner-user", 3600);
        assertThat(token(owner).accessToken()).isNotBlank();
        assertThat(token(fixture.watForUserId("other-user")).accessToken()).isNull();
        GetResourceOauth2TokenResponse forced = fixture.data.getResourceOauth2Token(r -> r.workloadIdentityToken(owner)
                .resourceCredentialProviderName(SCRIPTED_PROVIDER).scopes("openid").oauth2Flow(Oauth2FlowType.USER_FEDERATION)
                .resourceOauth2ReturnUrl(RETURN_URL).forceAuthentication(true));
        assertThat(forced.accessToken()).isNull();
        assertThat(forced.sessionUri()).startsWith("urn:ietf:params:oauth:request_uri:");
    }
}
