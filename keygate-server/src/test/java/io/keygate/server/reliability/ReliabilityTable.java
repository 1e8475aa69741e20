package io.keygate.server.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/** The suite's summary: one row per scenario, printed at the end and written to {@code target/reliability-table.md}. */
final class ReliabilityTable {
    record Row(String scenario, String requirements, long requests, long failures, String failureKinds,
               long refreshGrants, long refreshesSucceeded, String invariants) {
    }

    private final List<Row> rows = new ArrayList<>();

    synchronized Row add(Scenario scenario, List<Invariants.Check> checks) {
        List<String> violated = checks.stream().filter(check -> !check.held())
                .map(check -> check.id() + " (" + check.detail() + ")").toList();
        String invariants = violated.isEmpty() ? "I1-I7 held" : "VIOLATED: " + String.join("; ", violated);
        long requests = scenario.outcomes.size();
        String kinds = java.util.Arrays.stream(Scenario.Kind.values()).filter(kind -> kind != Scenario.Kind.TOKEN)
                .filter(kind -> scenario.count(kind) > 0)
                .map(kind -> scenario.count(kind) + " " + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
                .collect(Collectors.joining(", "));
        Row row = new Row(scenario.title, scenario.requirements, requests, requests - scenario.count(Scenario.Kind.TOKEN),
                kinds, scenario.idp.refreshGrants(),
                scenario.idp.refreshGrants("issued") + scenario.idp.refreshGrants("replayed"), invariants);
        rows.add(row);
        return row;
    }

    synchronized String markdown() {
        String header = "| Scenario | Covers | Requests | Failures | Refresh grants at IdP (all / succeeded) "
                + "| Invariants |\n|---|---|---:|---|---:|---|\n";
        return header + rows.stream().sorted(Comparator.comparing(Row::scenario))
                .map(row -> "| " + row.scenario() + " | " + row.requirements() + " | " + row.requests() + " | "
                        + row.failures() + (row.failures() == 0 ? "" : " (" + row.failureKinds() + ")") + " | "
                        + row.refreshGrants() + " / " + row.refreshesSucceeded() + " | " + row.invariants() + " |")
                .collect(Collectors.joining("\n")) + "\n";
    }

    synchronized void publish(Path file) throws IOException {
        String table = markdown();
        System.out.println("\nKeygate reliability suite (security.md Part 4)\n" + table);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "# Keygate reliability suite\n\nScenarios of security.md Part 4 against a ledger "
                + "IdP on loopback and two vault nodes on one PostgreSQL; invariants I1-I7 checked after each.\n\n" + table);
    }
}
