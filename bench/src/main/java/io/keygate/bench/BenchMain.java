package io.keygate.bench;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The benchmark harness: starts the target MCP server, nginx in front of it, a mock OAuth 2 server
 * and Keygate (all on 127.0.0.1), configures a CUSTOM_JWT gateway over the target, then measures
 * {@code tools/call} on the three paths at each concurrency and prints the {@link Results}. Everything
 * it started is stopped at the end, on failure, and on Ctrl-C (a shutdown hook).
 *
 * <pre>
 * java -jar bench/target/keygate-bench.jar --keygate-jar keygate-cli/target/keygate.jar
 *     [--seconds 10] [--warmup 3] [--prime-max 150] [--rounds 1] [--clients 1,8,32] [--paths direct,nginx,keygate]
 *     [--keygate-java /usr/lib/jvm/x/bin/java] [--nginx /usr/sbin/nginx] [--nginx-workers auto]
 *     [--target-mode stateless|streamable] [--out bench/results/latest.txt] [--keygate-jfr file.jfr]
 * </pre>
 */
public final class BenchMain {
    private static final String AUDIENCE = "keygate-bench";
    private static final Duration PRIME_STEP = Duration.ofSeconds(5);
    private static final double PRIME_SPREAD = 1.08;
    private static final double PRIME_JIT_SHARE = 0.10;

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> pairs = pairs(args);
        if (pairs.containsKey("--scenario") && !pairs.get("--scenario").equals("gateway")) {
            identity(pairs);
            return;
        }
        pairs.remove("--scenario");
        args = pairs.entrySet().stream().flatMap(entry -> Stream.of(entry.getKey(), entry.getValue())).toArray(String[]::new);
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException wrong) {
            System.err.println("bench: " + wrong.getMessage());
            System.exit(2);
            return;
        }
        Cleanup cleanup = new Cleanup();
        Thread hook = new Thread(cleanup::closeAll, "bench-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        Path temp = Files.createTempDirectory("keygate-bench-");
        boolean ok = false;
        try {
            Results results = run(options, temp, cleanup);
            String text = results.render();
            System.out.println();
            System.out.print(text);
            results.write(options.out);
            System.err.println("bench: results written to " + options.out);
            ok = true;
        } finally {
            cleanup.closeAll();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs or ran already
            }
            deleteTree(temp.resolve("keygate").resolve("data")); // holds the admin credentials file
            if (ok) {
                deleteTree(temp);
            } else {
                System.err.println("bench: logs kept in " + temp);
            }
        }
    }

    /** The options as name → value (every option takes a value); exits with a message when one has none. */
    private static Map<String, String> pairs(String[] args) {
        Map<String, String> pairs = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                System.err.println("bench: " + args[i] + " needs a value");
                System.exit(2);
            }
            pairs.put(args[i], args[i + 1]);
        }
        return pairs;
    }

    /** The identity scenarios ({@link IdentityBench}); results go next to the gateway's, in identity-latest.txt. */
    private static void identity(Map<String, String> pairs) throws Exception {
        Path jar = Path.of(pairs.getOrDefault("--keygate-jar", "keygate-cli/target/keygate.jar"));
        String java = pairs.remove("--keygate-java");
        Path out = Path.of(pairs.getOrDefault("--out", "bench/results/latest.txt")).resolveSibling("identity-latest.txt");
        pairs.keySet().removeAll(List.of("--keygate-jar", "--out", "--nginx"));
        IdentityBench.Options options;
        try {
            options = IdentityBench.Options.of(pairs, jar, java);
        } catch (IllegalArgumentException wrong) {
            System.err.println("bench: " + wrong.getMessage());
            System.exit(2);
            return;
        }
        Path temp = Files.createTempDirectory("keygate-bench-identity-");
        List<String> lines = new ArrayList<>();
        boolean ok = false;
        try {
            IdentityBench.run(options, temp, lines);
            ok = true;
        } finally {
            String text = String.join("\n", lines) + "\n";
            System.out.println();
            System.out.print(text);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, text);
            System.err.println("bench: results written to " + out + (ok ? "" : " (incomplete: the run failed)"));
            deleteDataDirectories(temp);
            if (ok) {
                deleteTree(temp);
            } else {
                System.err.println("bench: logs kept in " + temp);
            }
        }
    }

    /** Removes the Keygate data directories (they hold admin credentials) under {@code root}. */
    private static void deleteDataDirectories(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.filter(path -> path.getFileName().toString().equals("data") && Files.isDirectory(path))
                    .toList().forEach(BenchMain::deleteTree);
        }
    }

    private static Results run(Options options, Path temp, Cleanup cleanup) throws Exception {
        JavaRuntime self = JavaRuntime.current();
        JavaRuntime keygateJava = options.keygateJava == null ? self : JavaRuntime.of(options.keygateJava);
        Results results = new Results();
        results.fact("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        results.fact("machine", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores visible, "
                + memory() + ", " + System.getProperty("os.name") + " " + System.getProperty("os.version"));
        results.fact("shared CPUs", "load generator, target, nginx and Keygate all run on this machine at once");
        results.fact("load average", IdentityBench.loadAverage() + " before the run (1, 5, 15 min; other programs "
                + "running at the same time disturb every figure)");
        results.fact("load generator", "java.net.http.HttpClient (HTTP/1.1) on " + self.description());
        results.fact("target", "MCP Java SDK " + options.targetMode + " server on Jetty 12, own JVM: " + self.description());
        results.fact("Keygate", "keygate.jar serve (SQLite on " + Files.getFileStore(temp).type() + ", own JVM): "
                + keygateJava.description()
                + (keygateJava.feature() >= 21 ? ", virtual threads" : ", platform threads")
                + (keygateJava.keygateOptions().contains("-XX:+UseSerialGC")
                ? ", serial collector (as ./keygate picks on 2 processors or fewer)" : ""));
        results.fact("window", options.seconds + " s measured after " + options.warmup + " s warm-up, per row; "
                + "closed loop (each client sends its next call when the previous one is answered)"
                + (options.rounds > 1 ? "; " + options.rounds + " rounds of the paths in turn at each concurrency" : ""));

        log("starting the target MCP server (" + options.targetMode + ")");
        Path benchJar = Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ChildProcess targetProcess = cleanup.add(ChildProcess.start("target", List.of(self.binary(), "-cp",
                benchJar.toString(), TargetServer.class.getName(), "--mode", options.targetMode), Map.of(), temp));
        URI target = URI.create(targetProcess.awaitOutput(java.util.regex.Pattern.compile(
                "Target listening on (http://\\S+/mcp)"), Duration.ofSeconds(60)).group(1));

        Map<String, LoadGenerator.CpuMeter> common = new LinkedHashMap<>();
        common.put("machine", BenchMain::machineBusyNanos);
        common.put("generator", processOnly(ProcessHandle.current()));
        common.put("target", processTree(targetProcess.pid()));
        Map<String, LoadGenerator.CpuMeter> proxies = new LinkedHashMap<>();
        long keygatePid = -1;
        Map<String, LoadGenerator.Endpoint> endpoints = new LinkedHashMap<>();
        if (options.paths.contains("direct")) {
            endpoints.put("direct", new LoadGenerator.Endpoint("direct", target.toString(),
                    Map.of(TargetServer.API_KEY_HEADER, TargetServer.API_KEY), TargetServer.TOOL));
        }
        if (options.paths.contains("nginx")) {
            log("starting nginx (" + options.nginx + ", worker_processes " + options.nginxWorkers + ")");
            Path nginxDir = temp.resolve("nginx");
            Nginx nginx = cleanup.add(Nginx.start(options.nginx, target, options.nginxWorkers, nginxDir));
            results.fact("nginx", nginx.version() + ", worker_processes " + options.nginxWorkers
                    + ", upstream keepalive, proxy_buffering off, access_log off");
            endpoints.put("nginx", new LoadGenerator.Endpoint("nginx", nginx.endpoint(target), Map.of(), TargetServer.TOOL));
            proxies.put("nginx", processTree(nginxPid(nginxDir)));
        }
        if (options.paths.contains("keygate")) {
            log("starting the mock OAuth 2 server");
            MockOAuth2Server idp = new MockOAuth2Server();
            idp.start(InetAddress.getByName("127.0.0.1"), 0);
            cleanup.add(idp::shutdown);
            log("starting Keygate (" + keygateJava.binary() + ")");
            List<String> jvmOptions = new ArrayList<>();
            if (options.keygateJfr != null) {
                jvmOptions.add("-XX:StartFlightRecording=filename=" + options.keygateJfr.toAbsolutePath() + ",settings=profile");
            }
            Path keygateDir = Files.createDirectories(temp.resolve("keygate"));
            KeygateProcess keygate = cleanup.add(KeygateProcess.start(options.keygateJar, keygateJava, jvmOptions, keygateDir));
            String gatewayUrl = keygate.configureGateway(target.toString(), idp.wellKnownUrl("default").toString(), AUDIENCE);
            String jwt = idp.issueToken("default", "bench-user", new DefaultOAuth2TokenCallback("default", "bench-user",
                    "JWT", List.of(AUDIENCE), Map.of(), 24 * 3600)).serialize();
            endpoints.put("keygate", new LoadGenerator.Endpoint("keygate", gatewayUrl,
                    Map.of("Authorization", "Bearer " + jwt), KeygateProcess.TARGET_NAME + "___" + TargetServer.TOOL));
            proxies.put("keygate", processTree(keygate.pid()));
            keygatePid = keygate.pid();
        }

        int primeClients = options.clients.contains(Results.TARGET_CLIENTS) ? Results.TARGET_CLIENTS
                : options.clients.stream().max(Integer::compare).orElse(Results.TARGET_CLIENTS);
        List<String> primed = new ArrayList<>();
        for (LoadGenerator.Endpoint endpoint : endpoints.values()) {
            List<Long> jvms = new ArrayList<>(List.of(ProcessHandle.current().pid(), targetProcess.pid()));
            if (endpoint.name().equals("keygate")) {
                jvms.add(keygatePid);
            }
            primed.add(endpoint.name() + " " + prime(endpoint, primeClients, options.primeMax, jvms) + " s");
        }
        results.fact("primed", String.join(", ", primed) + " at " + primeClients + " clients, unrecorded, until three "
                + PRIME_STEP.toSeconds() + " s windows agreed within " + Math.round((PRIME_SPREAD - 1) * 100)
                + "% and the JIT compilers were busy at most " + Math.round(PRIME_JIT_SHARE * 100)
                + "% of a core (at most " + options.primeMax + " s per path)");
        log(Results.header());
        for (int clients : options.clients) {
            // the paths take turns, round after round: each ratio pairs measurements taken next to each other
            for (int round = 0; round < options.rounds; round++) {
                for (LoadGenerator.Endpoint endpoint : endpoints.values()) {
                    Map<String, LoadGenerator.CpuMeter> meters = new LinkedHashMap<>(common);
                    if (proxies.containsKey(endpoint.name())) {
                        meters.put(endpoint.name(), proxies.get(endpoint.name()));
                    }
                    LoadGenerator.Measurement measurement = LoadGenerator.run(endpoint, clients,
                            Duration.ofSeconds(options.warmup), Duration.ofSeconds(options.seconds), meters);
                    results.add(measurement);
                    log(Results.row(measurement));
                }
            }
        }
        results.note("Load average after the run: " + IdentityBench.loadAverage());
        results.note(String.join("\n",
                "How to read: calls/s is what all clients got through together; p50/p99 are per-call latencies",
                "(send to last byte of the answer). The ratio is Keygate's calls/s over nginx's at the same",
                "concurrency; added p99 is Keygate's p99 minus nginx's. When the machine's cores are saturated,",
                "calls/s is roughly cores / (generator + target + proxy CPU per call), so the us/c columns say",
                "where the throughput went. All processes share the same cores, so absolute figures are",
                "pessimistic, and they move by several percent (p99 by more) from one run to the next."));
        return results;
    }

    /**
     * Runs {@code endpoint} unrecorded in {@link #PRIME_STEP} windows until the last three agree on
     * throughput within {@link #PRIME_SPREAD} and the JIT compilers of the JVMs on the path
     * ({@code jvms}) used at most {@link #PRIME_JIT_SHARE} of one core in the last window, or until
     * {@code maxSeconds} have passed. Keygate's JVM compiles for about a minute under load, and
     * throughput can plateau for a while in between; figures taken before then measure the compiler.
     * Returns the seconds spent; fails when no call gets through.
     */
    private static long prime(LoadGenerator.Endpoint endpoint, int clients, int maxSeconds, List<Long> jvms)
            throws InterruptedException {
        long started = System.nanoTime();
        List<Double> throughputs = new ArrayList<>();
        int rounds = (int) Math.max(3, maxSeconds / PRIME_STEP.toSeconds());
        for (int round = 0; round < rounds; round++) {
            double[] compiledBefore = jvms.stream().mapToDouble(JitActivity::compilerSeconds).toArray();
            LoadGenerator.Measurement window = LoadGenerator.run(endpoint, clients, Duration.ZERO, PRIME_STEP, Map.of());
            if (window.calls() == 0 && (window.errors() > 0 || round >= 2)) { // a loaded machine may need a window to start
                throw new IllegalStateException("no call through " + endpoint.name() + " succeeded: " + window.firstError());
            }
            double compiling = 0;
            for (int i = 0; i < jvms.size(); i++) {
                double after = JitActivity.compilerSeconds(jvms.get(i));
                if (after >= 0 && compiledBefore[i] >= 0) {
                    compiling = Math.max(compiling, (after - compiledBefore[i]) / window.seconds());
                }
            }
            throughputs.add(window.throughput());
            log(String.format(java.util.Locale.ROOT, "priming %s: %.0f calls/s, JIT compiler busy %.0f%% of a core",
                    endpoint.name(), window.throughput(), compiling * 100));
            if (throughputs.size() >= 3 && compiling <= PRIME_JIT_SHARE) {
                List<Double> last = throughputs.subList(throughputs.size() - 3, throughputs.size());
                double min = last.stream().mapToDouble(Double::doubleValue).min().orElse(0);
                double max = last.stream().mapToDouble(Double::doubleValue).max().orElse(0);
                if (min > 0 && max / min <= PRIME_SPREAD) {
                    break;
                }
            }
        }
        return Math.round((System.nanoTime() - started) / 1e9);
    }

    /** CPU time of a process and all its descendants (nginx: master and workers). */
    static LoadGenerator.CpuMeter processTree(long pid) {
        return () -> {
            Optional<ProcessHandle> root = ProcessHandle.of(pid);
            if (root.isEmpty()) {
                return -1;
            }
            return Stream.concat(Stream.of(root.get()), root.get().descendants())
                    .mapToLong(process -> process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
                    .sum();
        };
    }

    /** CPU time of one process without its children (the harness: its children are the servers). */
    static LoadGenerator.CpuMeter processOnly(ProcessHandle process) {
        return () -> process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }

    /** CPU time all cores spent busy (user, nice, system, irq, softirq, steal) from /proc/stat; -1 if unknown. */
    static long machineBusyNanos() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/stat"))) {
            String[] fields = lines.findFirst().orElse("").trim().split("\\s+");
            long ticks = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                ticks += Long.parseLong(fields[i]);
            }
            return ticks * 10_000_000L; // USER_HZ = 100
        } catch (IOException | RuntimeException unreadable) {
            return -1;
        }
    }

    private static long nginxPid(Path dir) throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("nginx.pid"), StandardCharsets.US_ASCII).trim());
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(line -> line.startsWith("model name")).findFirst()
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException | RuntimeException unreadable) {
            return "unknown CPU";
        }
    }

    private static String memory() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
            return lines.filter(line -> line.startsWith("MemTotal:")).findFirst()
                    .map(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024 / 1024 + " GiB RAM").orElse("? RAM");
        } catch (IOException | RuntimeException unreadable) {
            return "? RAM";
        }
    }

    static void log(String line) {
        System.err.println("bench: " + line);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("bench: could not delete " + root + ": " + e.getMessage());
        }
    }

    /** What the harness started, stopped in reverse order exactly once (from the finally block or the hook). */
    static final class Cleanup {
        private final Deque<AutoCloseable> started = new ArrayDeque<>();

        synchronized <T extends AutoCloseable> T add(T resource) {
            started.push(resource);
            return resource;
        }

        synchronized void closeAll() {
            while (!started.isEmpty()) {
                try {
                    started.pop().close();
                } catch (Exception e) {
                    System.err.println("bench: error while stopping: " + e.getMessage());
                }
            }
        }
    }

    /** Command-line options. */
    static final class Options {
        int seconds = 10;
        int warmup = 3;
        int primeMax = 150;
        int rounds = 1;
        List<Integer> clients = List.of(1, 8, 32);
        List<String> paths = List.of("direct", "nginx", "keygate");
        Path keygateJar = Path.of("keygate-cli/target/keygate.jar");
        String keygateJava;
        String nginx = "nginx";
        String nginxWorkers = "auto";
        String targetMode = "stateless";
        Path out = Path.of("bench/results/latest.txt");
        Path keygateJfr;

        static Options parse(String[] args) {
            Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                String value = args[++i];
                switch (name) {
                    case "--seconds" -> options.seconds = positive(name, value, 3600);
                    case "--warmup" -> options.warmup = positive(name, value, 600);
                    case "--prime-max" -> options.primeMax = positive(name, value, 3600);
                    case "--rounds" -> options.rounds = positive(name, value, 100);
                    case "--clients" -> options.clients = Arrays.stream(value.split(","))
                            .map(String::trim).map(count -> positive(name, count, 1024)).toList();
                    case "--paths" -> options.paths = Arrays.stream(value.split(",")).map(String::trim).toList();
                    case "--keygate-jar" -> options.keygateJar = Path.of(value);
                    case "--keygate-java" -> options.keygateJava = value;
                    case "--nginx" -> options.nginx = value;
                    case "--nginx-workers" -> options.nginxWorkers = value;
                    case "--target-mode" -> options.targetMode = value;
                    case "--out" -> options.out = Path.of(value);
                    case "--keygate-jfr" -> options.keygateJfr = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            if (!options.targetMode.equals("stateless") && !options.targetMode.equals("streamable")) {
                throw new IllegalArgumentException("--target-mode is stateless or streamable");
            }
            if (!options.nginxWorkers.equals("auto") && !options.nginxWorkers.matches("[1-9][0-9]?")) {
                throw new IllegalArgumentException("--nginx-workers is auto or a number");
            }
            if (!List.of("direct", "nginx", "keygate").containsAll(options.paths) || options.paths.isEmpty()) {
                throw new IllegalArgumentException("--paths takes direct, nginx and/or keygate");
            }
            if (!Files.isRegularFile(options.keygateJar)) {
                throw new IllegalArgumentException("no Keygate jar at " + options.keygateJar + " (build it first)");
            }
            return options;
        }

        private static int positive(String name, String value, int max) {
            try {
                int number = Integer.parseInt(value);
                if (number >= 1 && number <= max) {
                    return number;
                }
            } catch (NumberFormatException ignored) {
                // below
            }
            throw new IllegalArgumentException(name + " takes a number from 1 to " + max + ", not " + value);
        }
    }
}
