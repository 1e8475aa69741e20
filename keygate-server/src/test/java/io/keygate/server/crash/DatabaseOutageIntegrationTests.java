package io.keygate.server.crash;

import io.keygate.identity.session.AuthSessions;
import io.keygate.testkit.RestartablePostgres;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL stopped and started again (same port, same data) while agents keep calling Keygate
 * (security.md F7, F15's "no half-written rows"): every request gets one answer, a success or a
 * retryable 5xx that says nothing about the database; afterwards every committed token is still
 * served, every row opens (I7), every grant is its user's (I1, I2), every multi-row commit is whole,
 * and every write that was acknowledged is there.
 */
class DatabaseOutageIntegrationTests {

    @Test
    void requestsWhenPostgresRestartsUnderLoadThenFailRetryablyAndNothingCommittedIsLostOrHalfWritten(
            @TempDir Path root) throws Exception {
        try (RestartablePostgres postgres = RestartablePostgres.start(Files.createDirectories(root.resolve("pg")));
             CrashCluster cluster = new CrashCluster(Files.createDirectories(root.resolve("nodes")), postgres.newDatabase())) {
            Map<String, String> committed = new LinkedHashMap<>();
            Map<String, String> wats = new LinkedHashMap<>();
            for (String user : List.of("ann", "ben", "cat")) {
                wats.put(user, cluster.grantOnA(user));
                committed.put(user, cluster.token(cluster.dataA, wats.get(user)).accessToken());
            }
            Load load = new Load(cluster, wats, committed);
            load.start(3);
            Thread.sleep(1_000);
            load.down.set(true);
            postgres.stop();
            Thread.sleep(2_000);
            postgres.start();
            load.down.set(false);
            Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> cluster.token(cluster.dataA, wats.get("ann")).accessToken() != null);
            Thread.sleep(1_000);
            load.stop();

            assertThat(load.duringOutage.get()).as("requests were sent while the database was down").isPositive();
            assertThat(load.unexpected).as("only successes and retryable, opaque 5xx").isEmpty();
            for (String user : committed.keySet()) {
                assertThat(cluster.token(cluster.dataA, wats.get(user)).accessToken()).isEqualTo(committed.get(user));
            }
            assertThat(cluster.audit().assertConsistent(cluster.ledger)).hasSize(3);
            assertSessionsWhole(cluster.databaseUrl);
            // every page: a fast node acknowledges more than one page of providers during the load
            var stored = cluster.nodeA.controlClient().listApiKeyCredentialProvidersPaginator(r -> r.maxResults(100))
                    .credentialProviders().stream().map(p -> p.name()).toList();
            assertThat(stored).containsAll(load.acknowledged);
        }
    }

    /** Every consent session has its state index and every index its session: they are written in one commit. */
    private static void assertSessionsWhole(String databaseUrl) throws Exception {
        Set<String> sessions = new HashSet<>();
        Set<String> indexed = new HashSet<>();
        try (Connection connection = DriverManager.getConnection(databaseUrl, "postgres", "postgres");
             ResultSet rows = connection.createStatement().executeQuery("SELECT kind, name, document FROM resource "
                     + "WHERE kind IN ('" + AuthSessions.KIND + "', '" + AuthSessions.STATE_KIND + "')")) {
            while (rows.next()) {
                if (rows.getString("kind").equals(AuthSessions.KIND)) {
                    sessions.add(rows.getString("name"));
                } else {
                    indexed.add(io.keygate.json.Json.MAPPER.readTree(rows.getString("document")).path("sessionId").asText());
                }
            }
        }
        assertThat(sessions).as("sessions started under load").hasSizeGreaterThan(3);
        assertThat(indexed).isEqualTo(sessions);
    }

    /** Agents reading committed grants, starting consent sessions, and an admin creating providers. */
    private static final class Load {
        final AtomicBoolean down = new AtomicBoolean();
        final AtomicInteger duringOutage = new AtomicInteger();
        final List<String> unexpected = new CopyOnWriteArrayList<>();
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger serial = new AtomicInteger();
        private final CrashCluster cluster;
        private final Map<String, String> wats;
        private final Map<String, String> committed;
        private final ExecutorService pool = Executors.newCachedThreadPool();

        Load(CrashCluster cluster, Map<String, String> wats, Map<String, String> committed) {
            this.cluster = cluster;
            this.wats = wats;
            this.committed = committed;
        }

        void start(int workers) {
            for (int i = 0; i < workers; i++) {
                pool.execute(this::work);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).as("I4: no request hangs").isTrue();
        }

        private void work() {
            var control = cluster.nodeA.controlClient();
            List<String> users = new ArrayList<>(wats.keySet());
            while (running.get()) {
                int n = serial.incrementAndGet();
                if (down.get()) {
                    duringOutage.incrementAndGet();
                }
                try {
                    switch (n % 3) {
                        case 0 -> {
                            String user = users.get((n / 3) % users.size()); // n % 3 is 0 here: every user in turn
                            String token = cluster.token(cluster.dataA, wats.get(user)).accessToken();
                            if (!committed.get(user).equals(token)) {
                                unexpected.add("a committed token changed for " + user);
                            }
                        }
                        case 1 -> cluster.token(cluster.dataA, cluster.wat(cluster.dataA, "new-" + n));
                        default -> {
                            control.createApiKeyCredentialProvider(r -> r.name("key-" + n).apiKey("api-key-" + n));
                            acknowledged.add("key-" + n);
                        }
                    }
                } catch (AwsServiceException failure) {
                    String message = String.valueOf(failure.awsErrorDetails().errorMessage());
                    if (failure.statusCode() < 500 || message.matches("(?is).*(jdbc|postgres|sql|hikari|connection).*")) {
                        unexpected.add(failure.statusCode() + " " + message);
                    }
                } catch (RuntimeException failure) {
                    unexpected.add(failure.toString());
                }
            }
        }
    }
}
