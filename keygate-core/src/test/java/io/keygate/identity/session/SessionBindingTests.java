package io.keygate.identity.session;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The binding page's rule (security.md CF-1, JV-3): the signed-in user must be the originator by
 * {@code iss} and {@code sub} together; a user-id session cannot be bound by a sign-in.
 */
class SessionBindingTests {
    private static final String IDP = "https://login.example.com";

    private static AuthSession startedBy(String principalKey) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        return new AuthSession("id", "agent", "graph", principalKey, "hash", "https://keygate.example/identities/oauth2/bind",
                List.of("openid"), null, null, null, AuthSessionStatus.TOKENS_HELD, null, null, now, now.plusSeconds(600),
                null, null);
    }

    @Test
    void checkSignedInWhenSameIssuerAndSubjectThenBound() {
        assertThat(SessionBinding.checkSignedIn(startedBy("jwt:" + IDP + "|alice"), IDP, "alice"))
                .isInstanceOf(SessionBinding.Bound.class);
    }

    @Test
    void checkSignedInWhenAnotherSubjectOrTheSameSubjectOfAnotherIssuerThenOtherPrincipal() {
        AuthSession alices = startedBy("jwt:" + IDP + "|alice");
        assertThat(SessionBinding.checkSignedIn(alices, IDP, "bob")).isInstanceOf(SessionBinding.OtherPrincipal.class);
        assertThat(SessionBinding.checkSignedIn(alices, "https://other.example.com", "alice"))
                .isInstanceOf(SessionBinding.OtherPrincipal.class);
    }

    @Test
    void checkSignedInWhenSessionStartedFromUserIdThenWrongKindNamingUserId() {
        assertThat(SessionBinding.checkSignedIn(startedBy("user-id:alice"), IDP, "alice"))
                .isInstanceOfSatisfying(SessionBinding.WrongKind.class,
                        wrongKind -> assertThat(wrongKind.fix()).contains("userIdentifier.userId"));
    }
}
