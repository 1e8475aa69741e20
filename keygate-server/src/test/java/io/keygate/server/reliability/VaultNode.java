package io.keygate.server.reliability;

import io.keygate.config.KeygateConfig;
import io.keygate.crypto.KeyringService;
import io.keygate.crypto.MasterKey;
import io.keygate.identity.vault.RefreshPolicy;
import io.keygate.identity.vault.UserTokenVault;
import io.keygate.identity.vault.VaultEntry;
import io.keygate.identity.vault.VaultTokens;
import io.keygate.net.OutboundUrlGuard;
import io.keygate.oauth.ClientRegistration;
import io.keygate.oauth.OAuthClient;
import io.keygate.oauth.TokenResponse;
import io.keygate.oauth.TokenSuccess;
import io.keygate.store.ResourceStore;
import io.keygate.store.SealedDocuments;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * One Keygate node's token vault, wired as {@code KeygateServer} wires it (sealed documents over the
 * shared store, the real {@link OAuthClient} over loopback HTTP to the {@link RecordingIdp}), with its own
 * keyring view, node identity and in-node locks, and a {@link FaultInjectingResourceStore} in front of
 * the shared database. {@link #stopAfterIdpAnswers()} makes the node vanish mid-refresh, as a
 * {@code kill -9} after the IdP rotated would (F9c, F10 variant).
 */
final class VaultNode {
    static final String WORKLOAD = "agent";
    static final String PROVIDER = "ledger-idp";
    static final List<String> SCOPES = List.of("read");
    /**
     * Short, so lost answers are detected quickly, yet long enough for a loaded CI machine to answer a
     * loopback token request; the sender bounds a whole answer at twice this.
     */
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(2);
    /** How long the IdP withholds an answer it means to lose: past everything the client waits for. */
    static final Duration PAST_CLIENT_TIMEOUT = CLIENT_TIMEOUT.multipliedBy(2).plusSeconds(1);

    /** Thrown out of the refresher to stop the node on the spot: nothing after it runs, nothing is released. */
    static final class NodeStopped extends Error {
        NodeStopped() {
            super("node stopped mid-refresh", null, false, false);
        }
    }

    final FaultInjectingResourceStore store;
    final SealedDocuments<VaultEntry, VaultTokens> entries;
    final UserTokenVault vault;
    private final OAuthClient oauth;
    private final ClientRegistration client;
    private volatile boolean stopAfterIdpAnswers;

    VaultNode(ResourceStore shared, MasterKey masterKey, Clock clock, RecordingIdp idp,
              RefreshPolicy policy) {
        this.store = new FaultInjectingResourceStore(shared);
        KeyringService keyrings = new KeyringService(store, clock);
        keyrings.unseal(() -> masterKey);
        this.entries = new SealedDocuments<>(store, keyrings, clock, UserTokenVault.KIND, VaultEntry.class,
                VaultTokens.class);
        this.oauth = new OAuthClient(new OutboundUrlGuard(new KeygateConfig.OutboundPolicy(List.of(), false)), clock,
                CLIENT_TIMEOUT);
        this.client = new ClientRegistration(RecordingIdp.CLIENT_ID, RecordingIdp.CLIENT_SECRET, null, idp.tokenEndpoint());
        this.vault = new UserTokenVault(entries, this::refresh, clock,
                policy, UserTokenVault.Sleeper.SYSTEM);
    }

    static String principal(String user) {
        return "user-id:" + user;
    }

    private TokenResponse refresh(String provider, String refreshToken, List<String> scopes) {
        TokenResponse answer = oauth.refresh(client, refreshToken, scopes);
        if (stopAfterIdpAnswers) {
            throw new NodeStopped();
        }
        return answer;
    }

    /** From now on the node dies right after the IdP answers its next refresh. */
    void stopAfterIdpAnswers() {
        stopAfterIdpAnswers = true;
    }

    /** What the vault holds for {@code user} right now. */
    VaultTokens storedTokens(String user) {
        return entries.list(null, 1000).stream()
                .filter(entry -> entry.document().principalKey().equals(principal(user)))
                .findFirst().orElseThrow().secrets();
    }

    UserTokenVault.Lookup call(String user) {
        return vault.accessToken(WORKLOAD, principal(user), PROVIDER, SCOPES);
    }

    /**
     * The end of a 3LO flow: {@code account} consents at the IdP, the code is redeemed over HTTP and the
     * tokens are stored for {@code user}, as {@code SessionCompletion} stores them.
     */
    void consent(String user, String account, RecordingIdp idp) {
        String code = idp.issueCode(account);
        TokenSuccess tokens = (TokenSuccess) oauth.authorizationCode(client, code, URI.create("http://127.0.0.1:9/cb"),
                "v".repeat(43), null);
        if (!entries.commit(vault.storeWrite(WORKLOAD, principal(user), PROVIDER, SCOPES, tokens.accessToken(),
                tokens.refreshToken(), tokens.expiresAt()))) {
            throw new IllegalStateException("consent for " + user + " was not stored");
        }
    }
}
