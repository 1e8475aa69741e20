package io.keygate.server.gateway;

import io.keygate.crypto.MasterKeyLoader;
import io.keygate.server.TestKeygate;
import io.keygate.server.crash.ChildNode;
import io.keygate.testkit.TestPostgres;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code kill -9} of the gateway node in the middle of a tool call (security.md F9e): the MCP client
 * gets one error for that call, the target saw the call once and Keygate replays nothing, and the
 * same MCP session goes on through the other node.
 */
class GatewayCrashIntegrationTests {

    @Test
    void toolCallWhenNodeKilledWhileTargetWorksThenClientGetsErrorNothingReplayedAndSessionGoesOnElsewhere(
            @TempDir Path root) throws Exception {
        String masterKey = TestKeygate.newMasterKey();
        String database = TestPostgres.newDatabase();
        Map<String, String> shared = Map.of("databaseUrl", database, "databaseUser", "postgres",
                "databasePassword", "postgres", "publicUrl", "http://keygate.test");
        try (GatewayFixture fixture = new GatewayFixture(TestKeygate.start(Files.createDirectories(root.resolve("a")),
                Map.of(MasterKeyLoader.ENVIRONMENT_VARIABLE, masterKey), shared));
             ChildNode child = new ChildNode(Files.createDirectories(root.resolve("child")), database,
                     "http://keygate.test", masterKey, "none", 1)) {
            AtomicReference<URI> node = new AtomicReference<>(child.url());
            AtomicInteger calls = new AtomicInteger();
            CountDownLatch inFlight = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            fixture.target.whileCalled(() -> {
                calls.incrementAndGet();
                inFlight.countDown();
                await(release);
            });
            McpSyncClient client = fixture.client(fixture.userJwt("erin"), false, notification -> { },
                    uri -> URI.create(uri.toString().replace(uri.getScheme() + "://" + uri.getRawAuthority(),
                            node.get().toString())));
            var call = CompletableFuture.supplyAsync(() ->
                    client.callTool(new McpSchema.CallToolRequest("weather___echo", Map.of("city", "Tromsø"))));
            assertThat(inFlight.await(30, TimeUnit.SECONDS)).as("the target got the call").isTrue();
            child.kill();
            assertThatThrownBy(call::join).as("I4: one terminal answer, an error").isNotNull();
            release.countDown();

            node.set(fixture.keygate.server().localUrl());
            var retried = client.callTool(new McpSchema.CallToolRequest("weather___echo", Map.of("city", "Tromsø")));
            assertThat(retried.isError()).isNotEqualTo(Boolean.TRUE);
            assertThat(calls.get()).as("the killed call once, the client's own retry once: nothing replayed").isEqualTo(2);
            client.closeGracefully();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
