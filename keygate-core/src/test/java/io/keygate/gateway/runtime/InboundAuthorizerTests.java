package io.keygate.gateway.runtime;

import io.keygate.config.KeygateConfig;
import io.keygate.gateway.AuthorizerConfiguration;
import io.keygate.gateway.Gateway;
import io.keygate.net.OutboundHttp;
import io.keygate.net.OutboundUrlGuard;
import io.keygate.oauth.jwt.JwtValidator;
import io.keygate.testing.ManualClock;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link InboundAuthorizer} with its cache of validated tokens: each token is its own caller (no sharing
 * between users, GW-3), a remembered token is refused once it expires, and the gateway's client rules
 * apply to remembered tokens at once (JV-1..JV-3 are {@code JwtValidatorTests}' subject).
 */
class InboundAuthorizerTests {
    private static final String AUDIENCE = "keygate-gateway";
    private static MockOAuth2Server idp;
    private final ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final InboundAuthorizer authorizer = new InboundAuthorizer(new JwtValidator(new OutboundHttp(
            new OutboundUrlGuard(new KeygateConfig.OutboundPolicy(List.of(), false))), clock), clock);

    @BeforeAll
    static void startIdp() throws Exception {
        idp = new MockOAuth2Server();
        idp.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterAll
    static void stopIdp() {
        idp.shutdown();
    }

    @Test
    void authorizeWhenTwoUsersCallThenEachIsHimselfEvenWhenRemembered() {
        String alice = token("alice", "agent", 3600);
        String bob = token("bob", "agent", 3600);

        assertThat(authorizer.authorize(gateway(List.of()), "Bearer " + alice).subject()).isEqualTo("alice");
        assertThat(authorizer.authorize(gateway(List.of()), "Bearer " + bob).subject()).isEqualTo("bob");
        assertThat(authorizer.authorize(gateway(List.of()), "Bearer " + alice).subject()).isEqualTo("alice");
        assertThat(authorizer.authorize(gateway(List.of()), "Bearer " + bob).bearerToken()).isEqualTo(bob);
    }

    @Test
    void authorizeWhenRememberedTokenIsAlteredThenRefused() {
        String alice = token("alice", "agent", 3600);
        authorizer.authorize(gateway(List.of()), "Bearer " + alice);
        String[] parts = alice.split("\\.");
        String tampered = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();

        assertThatThrownBy(() -> authorizer.authorize(gateway(List.of()), "Bearer " + tampered))
                .isInstanceOfSatisfying(InboundAuthException.class, refused -> assertThat(refused.status()).isEqualTo(401));
    }

    @Test
    void authorizeWhenRememberedTokenExpiresThenRefused() {
        String shortLived = token("alice", "agent", 30);
        authorizer.authorize(gateway(List.of()), "Bearer " + shortLived);

        clock.advance(Duration.ofSeconds(30).plus(JwtValidator.MAX_CLOCK_SKEW).plusSeconds(1));

        assertThatThrownBy(() -> authorizer.authorize(gateway(List.of()), "Bearer " + shortLived))
                .isInstanceOfSatisfying(InboundAuthException.class, refused -> assertThat(refused.status()).isEqualTo(401));
    }

    @Test
    void authorizeWhenGatewayNowAllowsOtherClientsThenRememberedTokenIsRefusedAtOnce() {
        String alice = token("alice", "agent", 3600);
        authorizer.authorize(gateway(List.of("agent")), "Bearer " + alice);

        assertThatThrownBy(() -> authorizer.authorize(gateway(List.of("other-agent")), "Bearer " + alice))
                .isInstanceOfSatisfying(InboundAuthException.class, refused -> assertThat(refused.status()).isEqualTo(403));
    }

    @Test
    void authorizeWhenGatewayExpectsAnotherAudienceThenRememberedTokenIsRefused() {
        String alice = token("alice", "agent", 3600);
        authorizer.authorize(gateway(List.of()), "Bearer " + alice);

        assertThatThrownBy(() -> authorizer.authorize(gateway(List.of(), "another-audience"), "Bearer " + alice))
                .isInstanceOfSatisfying(InboundAuthException.class, refused -> assertThat(refused.status()).isEqualTo(401));
    }

    private String token(String subject, String clientId, long lifetimeSeconds) {
        return idp.issueToken("default", clientId, new DefaultOAuth2TokenCallback("default", subject, "JWT",
                List.of(AUDIENCE), Map.of("client_id", clientId), lifetimeSeconds)).serialize();
    }

    private static Gateway gateway(List<String> allowedClients) {
        return gateway(allowedClients, AUDIENCE);
    }

    private static Gateway gateway(List<String> allowedClients, String audience) {
        var jwt = new AuthorizerConfiguration.CustomJwtAuthorizer(
                idp.wellKnownUrl("default").toString(), List.of(audience), allowedClients, null, null);
        return new Gateway("gw-1", "gw", null, null, "MCP", null, "CUSTOM_JWT", new AuthorizerConfiguration(jwt), null,
                "gw-1", Map.of(), Gateway.Status.READY, List.of(), Instant.EPOCH, Instant.EPOCH);
    }
}
