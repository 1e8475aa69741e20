package io.keygate.server.reliability;

import io.keygate.crypto.KeyringService;
import io.keygate.identity.vault.UserTokenVault;
import io.keygate.identity.vault.VaultEntry;
import io.keygate.identity.vault.VaultTokens;
import io.keygate.store.ResourceRecord;
import io.keygate.store.SealedDocuments;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The "nothing lost" invariants of security.md §4.1, checked over the database (read directly, not
 * through the fault injector), the {@link RecordingIdp}'s ledger, the captured logs and every caller's
 * outcome after a {@link Scenario}:
 * <ul>
 *   <li>I1 no token is stored under, or handed to, a user other than the one whose IdP account got it;</li>
 *   <li>I2 every entry that is not marked for re-consent holds the refresh token the IdP considers current;</li>
 *   <li>I3 no spurious {@code needs_reauth}: exactly the entries the scenario expects are marked;</li>
 *   <li>I4 every request got exactly one terminal outcome within its deadline, and only a token, a
 *       re-consent answer or a retryable error (or a connection loss on a stopped node);</li>
 *   <li>I5 no canary-marked secret appears in logs, error messages or the stored rows in clear;</li>
 *   <li>I6 each code is redeemed at most once; each refresh token is redeemed at most once, plus at
 *       most one replay the IdP allowed inside its grace window;</li>
 *   <li>I7 the store is consistent: every row decrypts, and no lease is left by a node still running.</li>
 * </ul>
 */
final class Invariants {
    record Check(String id, boolean held, String detail) {
    }

    private Invariants() {
    }

    static List<Check> check(Scenario scenario) {
        KeyringService keyrings = new KeyringService(scenario.store, scenario.clock);
        keyrings.unseal(() -> scenario.masterKey);
        SealedDocuments<VaultEntry, VaultTokens> entries = new SealedDocuments<>(scenario.store, keyrings,
                scenario.clock, UserTokenVault.KIND, VaultEntry.class, VaultTokens.class);
        List<SealedDocuments.Versioned<VaultEntry, VaultTokens>> rows = new ArrayList<>();
        List<String> undecryptable = new ArrayList<>();
        for (ResourceRecord record : scenario.store.list(UserTokenVault.KIND, null, 10_000)) {
            try {
                rows.add(entries.find(record.name()).orElseThrow());
            } catch (RuntimeException failure) {
                undecryptable.add(record.name());
            }
        }
        return List.of(i1(scenario, rows), i2(scenario, rows), i3(scenario, rows), i4(scenario), i5(scenario),
                i6(scenario), i7(scenario, rows, undecryptable));
    }

    private static Check i1(Scenario scenario, List<SealedDocuments.Versioned<VaultEntry, VaultTokens>> rows) {
        List<String> wrong = new ArrayList<>();
        for (var row : rows) {
            String expected = scenario.accounts.get(row.document().principalKey());
            VaultTokens tokens = row.secrets();
            if (expected == null || !expected.equals(scenario.idp.accountOf(tokens.accessToken()))
                    || tokens.refreshToken() != null && !expected.equals(scenario.idp.accountOf(tokens.refreshToken()))) {
                wrong.add("stored under " + row.document().principalKey());
            }
        }
        synchronized (scenario.outcomes) {
            for (Scenario.Outcome outcome : scenario.outcomes) {
                if (outcome.token() != null && !("acct-" + outcome.user()).equals(scenario.idp.accountOf(outcome.token()))) {
                    wrong.add("handed to " + outcome.user());
                }
            }
        }
        return new Check("I1", wrong.isEmpty(), String.join(", ", wrong));
    }

    private static Check i2(Scenario scenario, List<SealedDocuments.Versioned<VaultEntry, VaultTokens>> rows) {
        List<String> stale = rows.stream().filter(row -> row.document().needsReauth() == null)
                .filter(row -> !scenario.idp.isCurrent(row.secrets().refreshToken()))
                .map(row -> row.document().principalKey() + " generation " + row.document().generation()).toList();
        return new Check("I2", stale.isEmpty(), "not current at the IdP: " + stale);
    }

    private static Check i3(Scenario scenario, List<SealedDocuments.Versioned<VaultEntry, VaultTokens>> rows) {
        Set<String> marked = new HashSet<>();
        rows.stream().filter(row -> row.document().needsReauth() != null)
                .forEach(row -> marked.add(row.document().principalKey()));
        return new Check("I3", marked.equals(scenario.expectedReconsent),
                "marked " + marked + ", expected " + scenario.expectedReconsent);
    }

    private static Check i4(Scenario scenario) {
        long bad = scenario.count(Scenario.Kind.HUNG) + scenario.count(Scenario.Kind.UNEXPECTED);
        List<Scenario.Outcome> examples;
        synchronized (scenario.outcomes) {
            examples = scenario.outcomes.stream().filter(outcome -> outcome.kind() == Scenario.Kind.HUNG
                    || outcome.kind() == Scenario.Kind.UNEXPECTED).limit(3).toList();
        }
        return new Check("I4", bad == 0, bad + " hung or unexpected, e.g. " + examples);
    }

    private static Check i5(Scenario scenario) {
        StringBuilder seen = new StringBuilder(scenario.logs.text());
        synchronized (scenario.outcomes) {
            scenario.outcomes.forEach(outcome -> seen.append('\n').append(outcome.message()));
        }
        for (ResourceRecord record : scenario.store.list(UserTokenVault.KIND, null, 10_000)) {
            seen.append('\n').append(record.document());
            if (record.sealed() != null) {
                seen.append('\n').append(new String(record.sealed(), StandardCharsets.ISO_8859_1));
            }
        }
        int hits = seen.toString().split(RecordingIdp.CANARY, -1).length - 1;
        return new Check("I5", hits == 0, hits + " canary hits in " + scenario.logs.size() + " log lines, "
                + scenario.outcomes.size() + " outcomes and the stored rows");
    }

    private static Check i6(Scenario scenario) {
        Map<String, int[]> byPresented = new HashMap<>();
        for (RecordingIdp.Redemption redemption : scenario.idp.ledger()) {
            if (redemption.succeeded()) {
                int[] counts = byPresented.computeIfAbsent(redemption.grant() + ":" + redemption.presented(),
                        key -> new int[2]);
                counts[redemption.outcome().equals("replayed") ? 1 : 0]++;
            }
        }
        List<String> over = byPresented.entrySet().stream()
                .filter(entry -> entry.getValue()[0] > 1 || entry.getValue()[1] > 1)
                .map(entry -> entry.getKey().substring(0, entry.getKey().indexOf(':')) + " redeemed "
                        + entry.getValue()[0] + "+" + entry.getValue()[1] + " times").toList();
        return new Check("I6", over.isEmpty(), String.join(", ", over));
    }

    private static Check i7(Scenario scenario, List<SealedDocuments.Versioned<VaultEntry, VaultTokens>> rows,
                            List<String> undecryptable) {
        long leftLeases = rows.stream().filter(row -> row.document().leaseOwner() != null).count();
        boolean held = undecryptable.isEmpty() && (leftLeases == 0 || scenario.nodeStopped());
        return new Check("I7", held, undecryptable.size() + " rows do not decrypt, " + leftLeases + " leases left");
    }
}
