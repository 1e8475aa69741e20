package io.keygate.server.crash;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.crypto.KeyringService;
import io.keygate.identity.vault.UserTokenVault;
import io.keygate.json.Json;
import io.keygate.store.ResourceRecord;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consistency checker run after every crash (security.md I7, I1, I2, TV-1): reads every row of the
 * shared database directly, opens every sealed secret through a live node's keyring, finds no issued
 * token in clear in any row, and holds each
 * vault entry against the ledger IdP — its tokens belong to the IdP account of the entry's user, and
 * its refresh token is the one the IdP considers current.
 */
final class StoreAudit {
    /** One vault entry as stored: whose it is and the tokens it holds. */
    record VaultRow(String principalKey, String needsReauth, String accessToken, String refreshToken) {
    }

    private final String databaseUrl;
    private final KeyringService keyrings;

    StoreAudit(String databaseUrl, KeyringService keyrings) {
        this.databaseUrl = databaseUrl;
        this.keyrings = keyrings;
    }

    /** Opens every sealed row (a failure names the row); returns the vault entries. */
    List<VaultRow> openEveryRow(java.util.Set<String> canaries) throws Exception {
        List<VaultRow> vault = new ArrayList<>();
        int opened = 0;
        try (Connection connection = DriverManager.getConnection(databaseUrl, "postgres", "postgres");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT kind, name, document, sealed FROM resource")) {
            while (rows.next()) {
                String kind = rows.getString("kind");
                String document = rows.getString("document");
                assertThat(canaries).as("TV-1: no token in clear in %s", kind).noneMatch(document::contains);
                byte[] sealed = rows.getBytes("sealed");
                if (sealed == null) {
                    continue;
                }
                String secret = keyrings.open(sealed, ResourceRecord.associatedData(kind, rows.getString("name")));
                opened++;
                if (kind.equals(UserTokenVault.KIND)) {
                    JsonNode entry = Json.MAPPER.readTree(document);
                    JsonNode tokens = Json.MAPPER.readTree(secret);
                    vault.add(new VaultRow(entry.path("principalKey").asText(), entry.path("needsReauth").asText(null),
                            tokens.path("accessToken").asText(null), tokens.path("refreshToken").asText(null)));
                }
            }
        }
        assertThat(opened).as("sealed rows opened").isPositive();
        return vault;
    }

    /** I7 + I1 + I2: every row opens; every grant is its own user's and holds the current refresh token. */
    List<VaultRow> assertConsistent(LedgerIdp ledger) throws Exception {
        List<VaultRow> vault = openEveryRow(ledger.issuedTokens());
        for (VaultRow row : vault) {
            String account = row.principalKey().substring("user-id:".length());
            assertThat(ledger.accountOf(row.accessToken())).as("I1: access token of %s", account).isEqualTo(account);
            assertThat(ledger.accountOf(row.refreshToken())).as("I1: refresh token of %s", account).isEqualTo(account);
            if (row.needsReauth() == null) {
                assertThat(row.refreshToken()).as("I2: current refresh token of %s", account)
                        .isEqualTo(ledger.currentRefreshToken(account));
            }
        }
        return vault;
    }
}
