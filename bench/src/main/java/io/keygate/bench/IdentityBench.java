package io.keygate.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The identity scenarios of issue 6 item 5, each against a fresh {@link IdentityRig}:
 * <ul>
 *   <li>{@code vault}: GetResourceOauth2Token answered from the vault on one node (SigV4-signed).</li>
 *   <li>{@code l1}: whole 3LO flows, {@code --flow-clients} at once, {@code --flows} in all.</li>
 *   <li>{@code l3}: a refresh storm, {@code --storm-tokens} vault tokens all due at once and
 *       {@code --storm-clients} concurrent callers, on each node count of {@code --nodes} (PostgreSQL);
 *       it reports the refresh grants the IdP saw (single-flight means one per token).</li>
 *   <li>{@code l2}: {@code --l2-users} users × {@code --providers} OAuth providers of tool calls through a
 *       gateway for {@code --l2-seconds} (120 for the figure; 20 by default for a quick run).</li>
 * </ul>
 * Like the gateway benchmark it is a harness, not a test: nothing asserts on time.
 */
final class IdentityBench {
    private static final Duration RESIGN_EVERY = Duration.ofSeconds(60);

    private IdentityBench() {
    }

    static void run(Options options, Path temp, List<String> out) throws Exception {
        JavaRuntime java = options.keygateJava == null ? JavaRuntime.current() : JavaRuntime.of(options.keygateJava);
        out.add("Keygate identity benchmark: " + String.join(", ", options.scenarios));
        out.add("  date:      " + Instant.now().truncatedTo(ChronoUnit.SECONDS));
        out.add("  machine:   " + Runtime.getRuntime().availableProcessors() + " cores visible; load average before: "
                + loadAverage() + " (other programs on the machine disturb the figures)");
        out.add("  Keygate:   keygate.jar serve, own JVM: " + java.description());
        out.add("  IdP:       mock-oauth2-server 6.0.2 (signs in at once), its token endpoint behind a counting proxy");
        out.add("  client:    java.net.http (HTTP/1.1), requests signed with the AWS SDK's SigV4 signer; closed loop");
        out.add("");
        for (String scenario : options.scenarios) {
            switch (scenario) {
                case "vault" -> vault(options, java, temp.resolve("vault"), out);
                case "l1" -> flows(options, java, temp.resolve("l1"), out);
                case "l2" -> users(options, java, temp.resolve("l2"), out);
                case "l3" -> {
                    for (int nodes : options.nodes) {
                        storm(options, java, temp.resolve("l3-" + nodes), nodes, out);
                    }
                }
                default -> throw new IllegalArgumentException("unknown scenario " + scenario);
            }
        }
        out.add("load average after: " + loadAverage());
    }

    /** Vault hits: each client asks for the token of one of {@code --users} users again and again. */
    private static void vault(Options options, JavaRuntime java, Path dir, List<String> out) throws Exception {
        try (IdentityRig rig = new IdentityRig(options.keygateJar, java, Files.createDirectories(dir), 1, options.postgres,
                List.of())) {
            URI node = rig.node(0);
            List<String> tokens = new ArrayList<>();
            for (int user = 0; user < options.users; user++) {
                if (!rig.consent(node, "vault-user-" + user)) {
                    throw new IllegalStateException("the vault did not answer after consent");
                }
                tokens.add(rig.workloadToken(node, "vault-user-" + user));
            }
            Presigned presigned = new Presigned(rig, List.of(node), tokens);
            ActionLoad.Action hit = client -> rig.tokenFromVault(presigned.request(0, client % tokens.size()));
            BenchMain.log("priming vault hits for " + options.prime + " s");
            ActionLoad.forTime("prime", 8, Duration.ZERO, Duration.ofSeconds(options.prime), hit);
            out.add("vault hits: GetResourceOauth2Token (USER_FEDERATION) answered from the vault, " + options.users
                    + " users, " + rig.database + ", primed " + options.prime + " s");
            out.add(ActionLoad.header() + "   Keygate us/call  gen us/call");
            for (int clients : options.clients) {
                CpuWindow cpu = CpuWindow.start(rig.pids());
                ActionLoad.Result result = ActionLoad.forTime("vault hits", clients, Duration.ZERO,
                        Duration.ofSeconds(options.seconds), hit);
                out.add(result.row("hits") + cpu.perCall(result.ok()));
                BenchMain.log(out.get(out.size() - 1));
            }
            out.add("target: >= 3,000 hits/s on 2 cores");
            out.add("");
        }
    }

    /** L1: whole 3LO flows, each for a new user. */
    private static void flows(Options options, JavaRuntime java, Path dir, List<String> out) throws Exception {
        try (IdentityRig rig = new IdentityRig(options.keygateJar, java, Files.createDirectories(dir), 1, options.postgres,
                List.of())) {
            URI node = rig.node(0);
            AtomicInteger users = new AtomicInteger();
            BenchMain.log("priming 3LO flows for " + options.prime + " s");
            ActionLoad.forTime("prime", 8, Duration.ZERO, Duration.ofSeconds(options.prime),
                    client -> rig.consent(node, "prime-user-" + users.incrementAndGet()));
            long codeGrants = rig.tokenEndpoint.grants("authorization_code");
            ActionLoad.Result result = ActionLoad.count("L1 3LO flows", options.flowClients, options.flows,
                    client -> rig.consent(node, "l1-user-" + users.incrementAndGet()));
            out.add("L1: whole 3LO flows (GetWorkloadAccessTokenForUserId, GetResourceOauth2Token -> authorization URL,"
                    + " browser via the IdP and Keygate's callback, CompleteResourceTokenAuth, GetResourceOauth2Token"
                    + " from the vault), " + rig.database);
            out.add(ActionLoad.header());
            out.add(result.row("flows"));
            out.add("code grants at the IdP: " + (rig.tokenEndpoint.grants("authorization_code") - codeGrants)
                    + " for " + result.ok() + " completed flows");
            out.add("");
            BenchMain.log(result.row("flows"));
        }
    }

    /** L2: users × providers of tool calls through the gateway, each with the user's own token per provider. */
    private static void users(Options options, JavaRuntime java, Path dir, List<String> out) throws Exception {
        try (IdentityRig rig = new IdentityRig(options.keygateJar, java, Files.createDirectories(dir), 1, options.postgres,
                List.of()); GatewayUsers gateway = new GatewayUsers(rig, options.providers)) {
            List<GatewayUsers.User> users = new ArrayList<>();
            for (int i = 0; i < options.l2Users; i++) {
                users.add(gateway.new User("l2-user-" + i));
            }
            AtomicInteger next = new AtomicInteger();
            BenchMain.log("L2: " + users.size() + " users consent to " + gateway.targetCount() + " providers each");
            ActionLoad.Result setup = ActionLoad.count("L2 consents", 8, users.size(), client -> {
                GatewayUsers.User user = users.get(next.getAndIncrement());
                user.open();
                user.consentToAll();
                return true;
            });
            if (setup.errors() > 0) {
                throw new IllegalStateException("L2 setup failed: " + setup.firstError());
            }
            ActionLoad.Action call = client -> users.get(client).callNext();
            BenchMain.log("priming L2 tool calls for " + options.prime + " s");
            ActionLoad.forTime("prime", users.size(), Duration.ZERO, Duration.ofSeconds(options.prime), call);
            CpuWindow cpu = CpuWindow.start(rig.pids());
            ActionLoad.Result result = ActionLoad.forTime("L2 tool calls", users.size(), Duration.ZERO,
                    Duration.ofSeconds(options.l2Seconds), call);
            out.add("L2: " + users.size() + " users x " + gateway.targetCount() + " providers: tools/call through a "
                    + "CUSTOM_JWT gateway, each target with the user's own 3LO token of its provider (from the vault), "
                    + options.l2Seconds + " s after " + options.prime + " s priming, " + rig.database);
            out.add(ActionLoad.header() + "   Keygate us/call  gen us/call");
            out.add(result.row("calls") + cpu.perCall(result.ok()));
            out.add("");
            BenchMain.log(result.row("calls"));
        }
    }

    /** L3: every vault token due for refresh at once, then many concurrent callers. */
    private static void storm(Options options, JavaRuntime java, Path dir, int nodeCount, List<String> out)
            throws Exception {
        try (IdentityRig rig = new IdentityRig(options.keygateJar, java, Files.createDirectories(dir), nodeCount, true,
                List.of())) {
            rig.tokenEndpoint.codeGrantExpiresIn(30); // inside Keygate's 60 s refresh margin: due at once
            List<String> tokens = new ArrayList<>();
            for (int user = 0; user < options.stormTokens; user++) {
                URI node = rig.node(user);
                rig.consent(node, "storm-user-" + user, false); // reading the vault now would refresh already
                tokens.add(rig.workloadToken(node, "storm-user-" + user));
            }
            List<URI> nodes = new ArrayList<>();
            for (int i = 0; i < nodeCount; i++) {
                nodes.add(rig.node(i));
            }
            Presigned presigned = new Presigned(rig, nodes, tokens);
            long refreshesBefore = rig.tokenEndpoint.grants("refresh_token");
            ActionLoad.Result result = ActionLoad.forTime("L3 storm, " + nodeCount + " node(s)", options.stormClients,
                    Duration.ZERO, Duration.ofSeconds(options.stormSeconds),
                    client -> rig.tokenFromVault(presigned.request(client % nodeCount, client % tokens.size())));
            long refreshes = rig.tokenEndpoint.grants("refresh_token") - refreshesBefore;
            out.add("L3: refresh storm, " + tokens.size() + " vault tokens due at once, " + options.stormClients
                    + " concurrent callers for " + options.stormSeconds + " s spread over " + nodeCount + " node(s), "
                    + rig.database);
            out.add(ActionLoad.header());
            out.add(result.row("calls"));
            out.add("refresh grants seen at the IdP: " + refreshes + " for " + tokens.size() + " tokens"
                    + (refreshes == tokens.size() ? " (one per token: single-flight held)" : ""));
            out.add("");
            BenchMain.log(result.row("calls") + "; refresh grants " + refreshes);
        }
    }

    /**
     * Signed GetResourceOauth2Token requests per node and user, signed again every minute, so the
     * clients spend their CPU sending rather than signing.
     */
    private static final class Presigned {
        private final IdentityRig rig;
        private final List<URI> nodes;
        private final List<String> workloadTokens;
        private final AtomicReferenceArray<HttpRequest> requests;
        private final AtomicReferenceArray<Long> signedAt;

        Presigned(IdentityRig rig, List<URI> nodes, List<String> workloadTokens) {
            this.rig = rig;
            this.nodes = nodes;
            this.workloadTokens = workloadTokens;
            this.requests = new AtomicReferenceArray<>(nodes.size() * workloadTokens.size());
            this.signedAt = new AtomicReferenceArray<>(requests.length());
        }

        HttpRequest request(int node, int user) {
            int slot = node * workloadTokens.size() + user;
            Long at = signedAt.get(slot);
            if (at == null || System.nanoTime() - at > RESIGN_EVERY.toNanos()) {
                requests.set(slot, rig.signedTokenRequest(nodes.get(node), workloadTokens.get(user)));
                signedAt.set(slot, System.nanoTime());
            }
            return requests.get(slot);
        }
    }

    /** CPU time of the Keygate JVMs and of this JVM over a measurement. */
    private record CpuWindow(List<Long> pids, long keygateBefore, long generatorBefore) {
        static CpuWindow start(List<Long> pids) {
            return new CpuWindow(pids, keygateNanos(pids), BenchMain.processOnly(ProcessHandle.current()).cpuNanos());
        }

        String perCall(long calls) {
            long keygate = keygateNanos(pids) - keygateBefore;
            long generator = BenchMain.processOnly(ProcessHandle.current()).cpuNanos() - generatorBefore;
            return calls == 0 ? "" : String.format(Locale.ROOT, "   %15d %12d", keygate / 1000 / calls, generator / 1000 / calls);
        }

        private static long keygateNanos(List<Long> pids) {
            return pids.stream().mapToLong(pid -> BenchMain.processTree(pid).cpuNanos()).sum();
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception unreadable) {
            return "unknown";
        }
    }

    /** Command-line options of the identity scenarios. */
    static final class Options {
        List<String> scenarios = List.of("vault", "l3", "l1", "l2");
        List<Integer> clients = List.of(8, 32);
        List<Integer> nodes = List.of(1, 2);
        int seconds = 10;
        int prime = 20;
        int users = 20;
        int flows = 1000;
        int flowClients = 200;
        int stormTokens = 50;
        int stormClients = 500;
        int stormSeconds = 10;
        int l2Users = 100;
        int providers = 3;
        int l2Seconds = 20;
        boolean postgres;
        Path keygateJar;
        String keygateJava;

        static Options of(Map<String, String> values, Path keygateJar, String keygateJava) {
            Options options = new Options();
            options.keygateJar = keygateJar;
            options.keygateJava = keygateJava;
            values.forEach((name, value) -> {
                switch (name) {
                    case "--scenario" -> options.scenarios = List.of(value.split(","));
                    case "--clients" -> options.clients = numbers(name, value);
                    case "--nodes" -> options.nodes = numbers(name, value);
                    case "--seconds" -> options.seconds = number(name, value);
                    case "--prime" -> options.prime = number(name, value);
                    case "--users" -> options.users = number(name, value);
                    case "--flows" -> options.flows = number(name, value);
                    case "--flow-clients" -> options.flowClients = number(name, value);
                    case "--storm-tokens" -> options.stormTokens = number(name, value);
                    case "--storm-clients" -> options.stormClients = number(name, value);
                    case "--storm-seconds" -> options.stormSeconds = number(name, value);
                    case "--l2-users" -> options.l2Users = number(name, value);
                    case "--providers" -> options.providers = number(name, value);
                    case "--l2-seconds" -> options.l2Seconds = number(name, value);
                    case "--database" -> options.postgres = value.equals("postgres");
                    default -> throw new IllegalArgumentException("unknown option " + name + " for the identity scenarios");
                }
            });
            if (!List.of("vault", "l1", "l2", "l3").containsAll(options.scenarios)) {
                throw new IllegalArgumentException("--scenario takes gateway, or any of vault, l1, l2, l3");
            }
            return options;
        }

        private static List<Integer> numbers(String name, String value) {
            return List.of(value.split(",")).stream().map(item -> number(name, item.trim())).toList();
        }

        private static int number(String name, String value) {
            try {
                int number = Integer.parseInt(value);
                if (number >= 1 && number <= 100_000) {
                    return number;
                }
            } catch (NumberFormatException ignored) {
                // below
            }
            throw new IllegalArgumentException(name + " takes a number from 1 to 100000, not " + value);
        }
    }
}
