package io.keygate.identity.vault;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Scope coverage of a vault grant, the rule that decides between serving a token and asking for consent. */
class VaultEntryTests {

    private static VaultEntry granted(String... scopes) {
        return VaultEntry.granted("agent", "user-id:u", "idp", List.of(scopes), null, 1, Instant.EPOCH, Instant.EPOCH);
    }

    @Test
    void coversWhenProviderOmitsOpenIdScopesFromTheTokenThenStillCovered() {
        assertThat(granted("graph.read").covers(List.of("openid", "offline_access", "graph.read"))).isTrue();
    }

    @Test
    void coversWhenAnApiScopeIsMissingThenNotCovered() {
        assertThat(granted("graph.read").covers(List.of("openid", "graph.write"))).isFalse();
        assertThat(granted().covers(List.of("files.read"))).isFalse();
    }
}
