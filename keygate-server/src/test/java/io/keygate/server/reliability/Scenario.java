package io.keygate.server.reliability;

import io.keygate.server.TestKeygate;
import io.keygate.crypto.MasterKey;
import io.keygate.error.ErrorCode;
import io.keygate.error.ServiceException;
import io.keygate.identity.vault.RefreshPolicy;
import io.keygate.identity.vault.UserTokenVault;
import io.keygate.store.ResourceStore;
import io.keygate.store.jdbc.JdbcDatabase;
import io.keygate.store.jdbc.JdbcResourceStore;
import io.keygate.testkit.MutableClock;
import io.keygate.testkit.TestPostgres;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One reliability scenario's world: a fresh PostgreSQL database shared by the nodes, a {@link RecordingIdp},
 * one clock for all of them, what the harness expects (which IdP account each user consented with,
 * which entries may end up needing re-consent) and every request's outcome, for {@link Invariants}.
 */
final class Scenario implements AutoCloseable {
    /** Every call must end within this; a call still running then counts as hung (I4). */
    private static final Duration CALL_DEADLINE = Duration.ofSeconds(45);

    /** How one call ended, as a caller would see it. */
    enum Kind { TOKEN, RECONSENT, RETRYABLE_ERROR, NODE_STOPPED, UNEXPECTED, HUNG }

    record Outcome(String user, Kind kind, String token, String message) {
        @Override
        public String toString() {
            return user + ":" + kind + (message == null ? "" : "(" + message + ")");
        }
    }

    final String title;
    final String requirements;
    final MutableClock clock = new MutableClock();
    final RecordingIdp idp;
    final ResourceStore store;
    final MasterKey masterKey;
    final Map<String, String> accounts = new HashMap<>();
    final Set<String> expectedReconsent = new HashSet<>();
    final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
    final LogCapture logs = LogCapture.capture();
    private final JdbcDatabase database;
    private boolean nodeStopped;

    Scenario(String title, String requirements) throws Exception {
        this.title = title;
        this.requirements = requirements;
        this.database = JdbcDatabase.open(TestPostgres.newDatabase(), "postgres", "postgres");
        this.store = new JdbcResourceStore(database);
        this.masterKey = MasterKey.fromBase64(TestKeygate.newMasterKey(), "reliability suite");
        this.idp = new RecordingIdp(clock);
    }

    VaultNode node(RefreshPolicy policy) {
        return new VaultNode(store, masterKey, clock, idp, policy);
    }

    /** A node with Keygate's default refresh policy (30 s lease, 30 s replay window). */
    VaultNode node() {
        return node(RefreshPolicy.defaults());
    }

    /** {@code user} completes a 3LO flow as IdP account {@code acct-<user>} through {@code node}. */
    void consent(VaultNode node, String user) {
        accounts.put(VaultNode.principal(user), "acct-" + user);
        node.consent(user, "acct-" + user, idp);
    }

    void expectReconsent(String user) {
        expectedReconsent.add(VaultNode.principal(user));
    }

    boolean nodeStopped() {
        return nodeStopped;
    }

    Outcome call(VaultNode node, String user) {
        Outcome outcome = classify(node, user);
        outcomes.add(outcome);
        return outcome;
    }

    private Outcome classify(VaultNode node, String user) {
        try {
            UserTokenVault.Lookup lookup = node.call(user);
            if (lookup instanceof UserTokenVault.Hit hit) {
                return new Outcome(user, Kind.TOKEN, hit.accessToken(), null);
            }
            UserTokenVault.Miss miss = (UserTokenVault.Miss) lookup;
            return new Outcome(user, miss.reconsentReason() != null ? Kind.RECONSENT : Kind.UNEXPECTED, null,
                    miss.reason() + ": " + miss.message());
        } catch (ServiceException failure) {
            boolean retryable = failure.code() == ErrorCode.DEPENDENCY_FAILED || failure.code() == ErrorCode.INTERNAL;
            return new Outcome(user, retryable ? Kind.RETRYABLE_ERROR : Kind.UNEXPECTED, null, failure.getMessage());
        } catch (FaultInjectingResourceStore.InjectedStoreFault storeDown) {
            return new Outcome(user, Kind.RETRYABLE_ERROR, null, storeDown.getMessage());
        } catch (VaultNode.NodeStopped stopped) {
            nodeStopped = true;
            return new Outcome(user, Kind.NODE_STOPPED, null, null);
        } catch (RuntimeException unexpected) {
            return new Outcome(user, Kind.UNEXPECTED, null, unexpected.toString());
        }
    }

    /** {@code perNode} calls for {@code user} on each node, all released at once; waits for every one. */
    List<Outcome> concurrently(int perNode, String user, VaultNode... on) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(perNode * on.length);
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<Outcome>> calls = new ArrayList<>();
        for (int i = 0; i < perNode; i++) {
            for (VaultNode node : on) {
                calls.add(pool.submit(() -> {
                    gate.await();
                    return call(node, user);
                }));
            }
        }
        gate.countDown();
        List<Outcome> ended = new ArrayList<>();
        long deadline = System.nanoTime() + CALL_DEADLINE.toNanos();
        for (Future<Outcome> call : calls) {
            try {
                ended.add(call.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException | java.util.concurrent.ExecutionException hung) {
                Outcome outcome = new Outcome(user, Kind.HUNG, null, hung.toString());
                outcomes.add(outcome);
                ended.add(outcome);
            }
        }
        pool.shutdownNow();
        return ended;
    }

    long count(Kind kind) {
        synchronized (outcomes) {
            return outcomes.stream().filter(outcome -> outcome.kind() == kind).count();
        }
    }

    @Override
    public void close() {
        logs.close();
        idp.close();
        database.close();
    }
}
