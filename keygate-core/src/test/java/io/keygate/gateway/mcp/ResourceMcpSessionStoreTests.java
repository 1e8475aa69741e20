package io.keygate.gateway.mcp;

import io.keygate.store.InMemoryResourceStore;
import io.keygate.store.ResourceRecord;
import io.keygate.testing.ManualClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ResourceMcpSessionStore}: round trip through the shared store, id quality, ownership by
 * (gateway, principal) (security.md GW-4, B11), idle expiry, throttled touches, and visibility from a
 * second store instance, i.e. another node.
 */
class ResourceMcpSessionStoreTests {
    private static final String GW = "gw-1";
    private static final String ALICE = "https://idp.example|alice";

    private final InMemoryResourceStore resources = new InMemoryResourceStore();
    private final ManualClock clock = new ManualClock(Instant.parse("2026-05-06T07:08:09Z"));
    private final ResourceMcpSessionStore store = new ResourceMcpSessionStore(resources, clock, Duration.ofHours(1));

    @Test
    void createWhenCalledThenFindReturnsEqualSessionStoredUnderItsId() {
        McpSession created = store.create(GW, ALICE, "2025-11-25", true);

        assertThat(store.find(created.sessionId(), GW, ALICE)).contains(created);
        assertThat(created.createdAt()).isEqualTo(clock.instant());
        assertThat(created.lastSeenAt()).isEqualTo(clock.instant());
        assertThat(created.clientSupportsUrlElicitation()).isTrue();
        ResourceRecord record = resources.find(ResourceMcpSessionStore.KIND, created.sessionId()).orElseThrow();
        assertThat(record.document()).contains("\"principal\":\"" + ALICE + "\"");
        assertThat(record.sealed()).isNull();
    }

    @Test
    void createWhenCalledManyTimesThenIdsAreDistinctBase64UrlOf256Bits() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String id = store.create(GW, ALICE, "2025-11-25", false).sessionId();
            assertThat(id).matches("[A-Za-z0-9_-]{43}");
            assertThat(id.chars()).allMatch(c -> c >= 0x21 && c <= 0x7E);
            assertThat(McpSessionIds.isWellFormed(id)).isTrue();
            ids.add(id);
        }
        assertThat(ids).hasSize(1000);
    }

    @Test
    void findWhenOtherPrincipalOrGatewayThenEmpty() {
        McpSession created = store.create(GW, ALICE, "2025-11-25", false);

        assertThat(store.find(created.sessionId(), GW, "https://idp.example|bob")).isEmpty();
        assertThat(store.find(created.sessionId(), GW, "https://other-idp.example|alice")).isEmpty();
        assertThat(store.find(created.sessionId(), "gw-2", ALICE)).isEmpty();
        assertThat(store.find(created.sessionId(), GW, ALICE)).isPresent();
    }

    @Test
    void findWhenIdUnknownOrMalformedThenEmpty() {
        assertThat(store.find(McpSessionIds.generate(), GW, ALICE)).isEmpty();
        assertThat(store.find("bad id", GW, ALICE)).isEmpty();
        assertThat(store.find("", GW, ALICE)).isEmpty();
        assertThat(store.find(null, GW, ALICE)).isEmpty();
    }

    @Test
    void touchWhenIntervalPassedThenLastSeenStoredAndVisibleToOthers() {
        McpSession created = store.create(GW, ALICE, "2025-06-18", false);
        clock.advance(Duration.ofMinutes(2));

        McpSession touched = store.touch(created);

        assertThat(touched.lastSeenAt()).isEqualTo(clock.instant());
        assertThat(touched.createdAt()).isEqualTo(created.createdAt());
        assertThat(store.find(created.sessionId(), GW, ALICE).orElseThrow().lastSeenAt()).isEqualTo(clock.instant());
    }

    @Test
    void touchWhenLastSeenRecentThenNoWrite() {
        McpSession created = store.create(GW, ALICE, "2025-06-18", false);
        clock.advance(Duration.ofSeconds(30));

        McpSession touched = store.touch(created);

        assertThat(touched).isEqualTo(created);
        assertThat(resources.find(ResourceMcpSessionStore.KIND, created.sessionId()).orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void findWhenIdleLongerThanTimeoutThenEmptyAndRemoved() {
        McpSession created = store.create(GW, ALICE, "2025-11-25", false);
        clock.advance(Duration.ofMinutes(59));
        store.touch(created);
        clock.advance(Duration.ofMinutes(59));
        assertThat(store.find(created.sessionId(), GW, ALICE)).isPresent();

        clock.advance(Duration.ofMinutes(2));

        assertThat(store.find(created.sessionId(), GW, ALICE)).isEmpty();
        assertThat(resources.find(ResourceMcpSessionStore.KIND, created.sessionId())).isEmpty();
    }

    @Test
    void deleteWhenOwnerThenGone() {
        McpSession created = store.create(GW, ALICE, "2025-11-25", false);

        assertThat(store.delete(created.sessionId(), GW, ALICE)).isTrue();

        assertThat(store.find(created.sessionId(), GW, ALICE)).isEmpty();
        assertThat(store.delete(created.sessionId(), GW, ALICE)).isFalse();
    }

    @Test
    void deleteWhenForeignPrincipalThenFalseAndSessionKept() {
        McpSession created = store.create(GW, ALICE, "2025-11-25", false);

        assertThat(store.delete(created.sessionId(), GW, "https://idp.example|mallory")).isFalse();

        assertThat(store.find(created.sessionId(), GW, ALICE)).isPresent();
    }

    @Test
    void findWhenSecondStoreOnSameResourceStoreThenSessionVisible() {
        McpSession created = store.create(GW, ALICE, "2025-03-26", true);
        ResourceMcpSessionStore otherNode = new ResourceMcpSessionStore(resources, clock);

        assertThat(otherNode.find(created.sessionId(), GW, ALICE)).contains(created);
        assertThat(otherNode.delete(created.sessionId(), GW, ALICE)).isTrue();
        assertThat(store.find(created.sessionId(), GW, ALICE)).isEmpty();
    }

    @Test
    void findWhenDeletedOnThisNodeAfterBeingReadThenEmptyAtOnce() {
        McpSession created = store.create(GW, ALICE, "2025-11-25", true);
        assertThat(store.find(created.sessionId(), GW, ALICE)).isPresent(); // now in this node's cache

        assertThat(store.delete(created.sessionId(), GW, ALICE)).isTrue();

        assertThat(store.find(created.sessionId(), GW, ALICE)).isEmpty();
    }

    @Test
    void findWhenDeletedOnAnotherNodeThenGoneWithinCacheTtl() {
        McpSession created = store.create(GW, ALICE, "2025-11-25", true);
        assertThat(store.find(created.sessionId(), GW, ALICE)).isPresent();
        ResourceMcpSessionStore otherNode = new ResourceMcpSessionStore(resources, clock, Duration.ofHours(1));

        assertThat(otherNode.delete(created.sessionId(), GW, ALICE)).isTrue();
        clock.advance(ResourceMcpSessionStore.CACHE_TTL);

        assertThat(store.find(created.sessionId(), GW, ALICE)).isEmpty();
    }

    @Test
    void findWhenCachedSessionAskedForByAnotherPrincipalThenEmpty() {
        McpSession created = store.create(GW, ALICE, "2025-11-25", true);
        assertThat(store.find(created.sessionId(), GW, ALICE)).isPresent();

        assertThat(store.find(created.sessionId(), GW, "https://idp.example|mallory")).isEmpty();
        assertThat(store.find(created.sessionId(), "gw-2", ALICE)).isEmpty();
    }

    @Test
    void constructorWhenArgumentsInvalidThenThrows() {
        assertThatThrownBy(() -> new ResourceMcpSessionStore(null, clock))
                .isInstanceOf(NullPointerException.class).hasMessage("store must not be null");
        assertThatThrownBy(() -> new ResourceMcpSessionStore(resources, null))
                .isInstanceOf(NullPointerException.class).hasMessage("clock must not be null");
        assertThatThrownBy(() -> new ResourceMcpSessionStore(resources, clock, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
