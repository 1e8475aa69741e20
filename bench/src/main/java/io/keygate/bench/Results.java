package io.keygate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one run: a row per path and concurrency (calls, errors, throughput, p50, p99, CPU
 * per call of each process), then Keygate against nginx at each concurrency (throughput ratio and
 * added p99) checked against the issue's targets at 8 clients, after a block of facts about the
 * machine and the runtimes. With several rounds, each round of Keygate is compared with the round of nginx
 * measured next to it, and the medians are reported with each round's ratio. The same text goes to
 * standard output and to a file.
 */
final class Results {
    /** The issue's targets, at {@link #TARGET_CLIENTS} clients: throughput ratio and added p99. */
    static final double TARGET_RATIO = 0.7;
    static final double TARGET_ADDED_P99_MS = 3.0;
    static final int TARGET_CLIENTS = 8;
    private final Map<String, String> facts = new LinkedHashMap<>();
    private final List<LoadGenerator.Measurement> measurements = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void fact(String name, String value) {
        facts.put(name, value);
    }

    void add(LoadGenerator.Measurement measurement) {
        measurements.add(measurement);
    }

    void note(String text) {
        notes.add(text);
    }

    /** One row, for progress output while the run goes on. */
    static String row(LoadGenerator.Measurement m) {
        return String.format(Locale.ROOT, "%-8s %7d %9d %7d %11.1f %8.2f %8.2f %10s %10s %10s %10s", m.path(),
                m.clients(), m.calls(), m.errors(), m.throughput(), m.percentileMillis(50), m.percentileMillis(99),
                cpuPerCall(m, "generator"), cpuPerCall(m, "target"), cpuPerCall(m, m.path()), otherPerCall(m));
    }

    static String header() {
        return String.format(Locale.ROOT, "%-8s %7s %9s %7s %11s %8s %8s %10s %10s %10s %10s", "path", "clients",
                "calls", "errors", "calls/s", "p50 ms", "p99 ms", "gen us/c", "target us/c", "proxy us/c", "other us/c");
    }

    String render() {
        StringBuilder text = new StringBuilder();
        text.append("Keygate MCP gateway benchmark: tools/call, direct vs nginx vs Keygate\n\n");
        facts.forEach((name, value) -> text.append(String.format(Locale.ROOT, "  %-22s %s%n", name + ":", value)));
        text.append('\n').append(header()).append('\n');
        for (LoadGenerator.Measurement m : measurements) {
            text.append(row(m)).append('\n');
        }
        text.append("\n(us/c: CPU microseconds per successful call used by the load generator, the target, and the\n"
                + " proxy on that path - nginx master+workers or the Keygate JVM, '-' where there is none - and by\n"
                + " everything else on the machine: idle servers of the other paths, the kernel, other programs,\n"
                + " and time the hypervisor stole)\n");
        text.append("\nKeygate vs nginx\n");
        text.append(String.format(Locale.ROOT, "%-8s %16s %14s %14s %18s%n", "clients", "throughput ratio",
                "nginx p99 ms", "Keygate p99 ms", "added p99 ms"));
        String verdict = null;
        for (int clients : concurrencies()) {
            List<LoadGenerator.Measurement> nginx = all("nginx", clients);
            List<LoadGenerator.Measurement> keygate = all("keygate", clients);
            int rounds = Math.min(nginx.size(), keygate.size());
            if (rounds == 0) {
                continue;
            }
            // round i of Keygate against round i of nginx, measured next to each other; then the median
            double[] ratios = new double[rounds];
            double[] added = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                ratios[i] = keygate.get(i).throughput() / nginx.get(i).throughput();
                added[i] = keygate.get(i).percentileMillis(99) - nginx.get(i).percentileMillis(99);
            }
            double ratio = median(ratios);
            double addedP99 = median(added);
            text.append(String.format(Locale.ROOT, "%-8d %16.2f %14.2f %14.2f %18.2f%s%n", clients, ratio,
                    median(nginx.subList(0, rounds).stream().mapToDouble(m -> m.percentileMillis(99)).toArray()),
                    median(keygate.subList(0, rounds).stream().mapToDouble(m -> m.percentileMillis(99)).toArray()),
                    addedP99, rounds == 1 ? "" : String.format(Locale.ROOT, "   ratios %s", spread(ratios))));
            if (clients == TARGET_CLIENTS) {
                verdict = String.format(Locale.ROOT, "Targets at %d clients: throughput >= %.1fx nginx's: %s (%.2f); "
                                + "added p99 <= %.0f ms: %s (%.2f ms)%s%n", TARGET_CLIENTS, TARGET_RATIO,
                        ratio >= TARGET_RATIO ? "MET" : "MISSED", ratio, TARGET_ADDED_P99_MS,
                        addedP99 <= TARGET_ADDED_P99_MS ? "MET" : "MISSED", addedP99,
                        rounds == 1 ? "" : "; medians of " + rounds + " rounds");
            }
        }
        if (verdict != null) {
            text.append(verdict);
        }
        List<String> failures = new ArrayList<>();
        for (LoadGenerator.Measurement m : measurements) {
            if (m.firstError() != null) {
                failures.add("  " + m.path() + " @" + m.clients() + ": " + m.firstError());
            }
        }
        if (!failures.isEmpty()) {
            text.append("\nFirst error per measurement:\n").append(String.join("\n", failures)).append('\n');
        }
        for (String note : notes) {
            text.append('\n').append(note).append('\n');
        }
        return text.toString();
    }

    void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, render(), StandardCharsets.UTF_8);
    }

    private List<Integer> concurrencies() {
        return measurements.stream().map(LoadGenerator.Measurement::clients).distinct().toList();
    }

    private List<LoadGenerator.Measurement> all(String path, int clients) {
        return measurements.stream().filter(m -> m.path().equals(path) && m.clients() == clients).toList();
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** Each round's ratio, in the order measured. */
    private static String spread(double[] ratios) {
        StringBuilder text = new StringBuilder();
        for (double ratio : ratios) {
            text.append(text.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", ratio));
        }
        return text.toString();
    }

    /** Machine-wide busy CPU minus the metered processes, per call. */
    private static String otherPerCall(LoadGenerator.Measurement m) {
        Long machine = m.cpuNanos().get("machine");
        if (machine == null || machine < 0 || m.calls() == 0) {
            return "-";
        }
        long rest = machine;
        for (Map.Entry<String, Long> meter : m.cpuNanos().entrySet()) {
            if (!meter.getKey().equals("machine") && meter.getValue() >= 0) {
                rest -= meter.getValue();
            }
        }
        return String.format(Locale.ROOT, "%.0f", Math.max(0, rest) / 1000.0 / m.calls());
    }

    private static String cpuPerCall(LoadGenerator.Measurement m, String process) {
        Long nanos = m.cpuNanos().get(process);
        if (nanos == null || nanos < 0 || m.calls() == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.0f", nanos / 1000.0 / m.calls());
    }
}
