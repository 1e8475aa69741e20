package io.keygate.gateway.runtime;

import io.keygate.audit.AuditEvent;
import io.keygate.audit.AuditLog;
import io.keygate.crypto.KeyringService;
import io.keygate.crypto.MasterKey;
import io.keygate.gateway.Gateway;
import io.keygate.gateway.GatewayTarget;
import io.keygate.gateway.ToolListingException;
import io.keygate.gateway.mcp.ToolDefinition;
import io.keygate.json.Json;
import io.keygate.store.InMemoryResourceStore;
import io.keygate.store.ResourceRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DynamicTools} with scripted targets: DYNAMIC targets are asked in parallel and each failure —
 * no answer in time, no credential for the caller, a failing server, a full pool — leaves only that
 * target out, with the reason audited (security.md GW-7, F14). Only READY DYNAMIC targets are asked.
 */
class DynamicToolsTests {
    private static final Clock CLOCK = Clock.systemUTC();
    private static final Gateway GATEWAY = new Gateway("g-0123456789", "g", null, null, "MCP", null, "CUSTOM_JWT", null,
            null, "g-0123456789", null, Gateway.Status.READY, null, Instant.EPOCH, Instant.EPOCH);
    private static final InboundCaller CALLER = new InboundCaller("jwt:https://idp|alice", "https://idp", "alice", "jwt");
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private AuditLog audit;

    @BeforeEach
    void createAuditLog() {
        InMemoryResourceStore store = new InMemoryResourceStore();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        KeyringService keyrings = new KeyringService(store, CLOCK);
        keyrings.unseal(() -> MasterKey.fromBase64(Base64.getEncoder().encodeToString(key), "test"));
        audit = new AuditLog(new ResourceRepository<>(store, keyrings, CLOCK, AuditLog.KIND, AuditEvent.class, "audit"),
                CLOCK);
    }

    @AfterEach
    void releaseHangingTargets() {
        release.countDown();
    }

    private static GatewayTarget target(String name, String listingMode, GatewayTarget.Status status) {
        var server = Json.MAPPER.createObjectNode().put("endpoint", "http://127.0.0.1:9/" + name);
        if (listingMode != null) {
            server.put("listingMode", listingMode);
        }
        return new GatewayTarget(String.format("%-10s", name.toUpperCase()).replace(' ', '0'), GATEWAY.gatewayId(), name,
                null, Json.MAPPER.createObjectNode().set("mcp", Json.MAPPER.createObjectNode().set("mcpServer", server)),
                null, null, status, null, null, Instant.EPOCH, Instant.EPOCH, null, null);
    }

    private static ToolDefinition tool(String name) {
        return new ToolDefinition(name, null, null, Json.MAPPER.createObjectNode().put("type", "object"), null, null);
    }

    /** Each target behaves as its name says. */
    private List<ToolDefinition> list(Gateway gateway, GatewayTarget target, InboundCaller caller) {
        asked.add(target.name());
        switch (target.name()) {
            case "slow" -> {
                try {
                    release.await();
                } catch (InterruptedException cancelled) {
                    Thread.currentThread().interrupt();
                }
                return List.of(tool("late"));
            }
            case "keyless" -> throw new TargetToolListing.NoCredentialException("Target keyless: no consent yet");
            case "broken" -> throw new ToolListingException("Target broken: HTTP 500", null);
            default -> {
                return List.of(tool(target.name() + "-tool"));
            }
        }
    }

    private Map<String, String> omissions() {
        return audit.list(null, 100).items().stream().filter(event -> event.event().equals("tools-list-target-omitted"))
                .collect(java.util.stream.Collectors.toMap(AuditEvent::provider, AuditEvent::outcome));
    }

    @Test
    void listWhenTargetsHangLackCredentialOrFailThenOnlyTheyAreLeftOutAndTheReasonAudited() {
        List<GatewayTarget> targets = List.of(target("fast", "DYNAMIC", GatewayTarget.Status.READY),
                target("slow", "DYNAMIC", GatewayTarget.Status.READY),
                target("keyless", "DYNAMIC", GatewayTarget.Status.READY),
                target("broken", "DYNAMIC", GatewayTarget.Status.READY),
                target("stored", "DEFAULT", GatewayTarget.Status.READY),
                target("failed", "DYNAMIC", GatewayTarget.Status.FAILED));
        DynamicTools dynamic = new DynamicTools(gatewayId -> targets, this::list, audit, Duration.ofSeconds(2), 8);

        List<ToolDefinition> tools = dynamic.forCaller(GATEWAY, CALLER, (gatewayId, principal) -> List.of(tool("x___y")))
                .list(GATEWAY.gatewayId(), CALLER.principal());

        assertThat(tools).extracting(ToolDefinition::name).containsExactly("x___y", "fast___fast-tool");
        assertThat(asked).containsExactlyInAnyOrder("fast", "slow", "keyless", "broken");
        assertThat(omissions()).containsExactlyInAnyOrderEntriesOf(Map.of("slow", "TIMEOUT", "keyless", "NO_CREDENTIAL",
                "broken", "TARGET_FAILED"));
    }

    @Test
    void listWhenPoolIsFullThenTheExtraTargetIsLeftOutAsBusy() {
        List<GatewayTarget> targets = List.of(target("slow", "DYNAMIC", GatewayTarget.Status.READY),
                target("fast", "DYNAMIC", GatewayTarget.Status.READY));
        DynamicTools dynamic = new DynamicTools(gatewayId -> targets, this::list, audit, Duration.ofMillis(200), 1);

        List<ToolDefinition> tools = dynamic.forCaller(GATEWAY, CALLER, (gatewayId, principal) -> List.of())
                .list(GATEWAY.gatewayId(), CALLER.principal());

        assertThat(tools).isEmpty();
        assertThat(omissions()).containsExactlyInAnyOrderEntriesOf(Map.of("slow", "TIMEOUT", "fast", "BUSY"));
    }
}
