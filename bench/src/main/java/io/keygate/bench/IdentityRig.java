package io.keygate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import software.amazon.awssdk.services.bedrockagentcorecontrol.BedrockAgentCoreControlClient;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.CredentialProviderVendorType;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * What the identity scenarios run against: mock-oauth2-server as the IdP (its token endpoint behind
 * {@link BenchTokenEndpoint}, which counts grants), one or more Keygate nodes (one on SQLite, or several
 * on one embedded PostgreSQL with one master key), a workload identity {@value #WORKLOAD} and a
 * CustomOauth2 provider {@value #PROVIDER}, configured through the AgentCore control API with the AWS
 * SDK. {@link #consent} is one whole 3LO flow with a scripted browser.
 */
final class IdentityRig implements AutoCloseable {
    static final String WORKLOAD = "bench-agent";
    static final String PROVIDER = "bench-idp";
    static final String RETURN_URL = "http://127.0.0.1:9/bench/return";
    private final BenchMain.Cleanup cleanup = new BenchMain.Cleanup();
    final MockOAuth2Server idp = new MockOAuth2Server();
    final BenchTokenEndpoint tokenEndpoint;
    final List<KeygateProcess> nodes = new ArrayList<>();
    final SignedCalls calls;
    final String database;

    /**
     * @param postgres when true the nodes share an embedded PostgreSQL, else there must be one node (SQLite)
     */
    IdentityRig(Path jar, JavaRuntime java, Path dir, int nodeCount, boolean postgres, List<String> jvmOptions)
            throws Exception {
        try {
            idp.start(InetAddress.getByName("127.0.0.1"), 0);
            cleanup.add(idp::shutdown);
            tokenEndpoint = cleanup.add(new BenchTokenEndpoint(URI.create(idp.tokenEndpointUrl("default").toString())));
            List<String> serve = new ArrayList<>();
            if (postgres) {
                EmbeddedPostgres pg = cleanup.add(EmbeddedPostgres.builder().start());
                serve.addAll(List.of("--database-url", pg.getJdbcUrl("postgres", "postgres")));
            } else if (nodeCount != 1) {
                throw new IllegalArgumentException("several nodes need PostgreSQL");
            }
            database = postgres ? "embedded PostgreSQL (zonky), " + nodeCount + " node(s)" : "SQLite, 1 node";
            byte[] masterKey = new byte[32];
            new SecureRandom().nextBytes(masterKey);
            for (int i = 0; i < nodeCount; i++) {
                BenchMain.log("starting Keygate node " + (i + 1) + " (" + database + ")");
                KeygateProcess node = cleanup.add(KeygateProcess.start(jar, java, jvmOptions,
                        Files.createDirectories(dir.resolve("node-" + (i + 1))), serve,
                        Base64.getEncoder().encodeToString(masterKey)));
                nodes.add(i == 0 ? node : node.withCredentialsOf(nodes.get(0)));
            }
            calls = new SignedCalls(nodes.get(0).credentials().resolveCredentials());
            configure();
        } catch (Exception | Error failure) {
            cleanup.closeAll();
            throw failure;
        }
    }

    private void configure() {
        try (BedrockAgentCoreControlClient control = nodes.get(0).controlClient()) {
            control.createWorkloadIdentity(r -> r.name(WORKLOAD).allowedResourceOauth2ReturnUrls(RETURN_URL));
            createProvider(control, PROVIDER);
        }
    }

    /** A CustomOauth2 provider for the IdP, whose token endpoint is the counting proxy. */
    void createProvider(BedrockAgentCoreControlClient control, String name) {
        control.createOauth2CredentialProvider(r -> r.name(name)
                .credentialProviderVendor(CredentialProviderVendorType.CUSTOM_OAUTH2)
                .oauth2ProviderConfigInput(c -> c.customOauth2ProviderConfig(custom -> custom
                        .oauthDiscovery(d -> d.authorizationServerMetadata(m -> m
                                .issuer(idp.issuerUrl("default").toString())
                                .authorizationEndpoint(idp.authorizationEndpointUrl("default").toString())
                                .tokenEndpoint(tokenEndpoint.url().toString()).responseTypes("code")))
                        .clientId("bench-client").clientSecret("bench-client-secret"))));
    }

    URI node(int index) {
        return nodes.get(index % nodes.size()).url();
    }

    /** GetWorkloadAccessTokenForUserId on a node. */
    String workloadToken(URI node, String user) throws IOException, InterruptedException {
        return calls.call(node, "/identities/GetWorkloadAccessTokenForUserId",
                Map.of("workloadName", WORKLOAD, "userId", user)).path("workloadAccessToken").asText();
    }

    /** The body of GetResourceOauth2Token for the user behind {@code workloadToken}. */
    static String tokenRequest(String workloadToken) {
        ObjectNode body = SignedCalls.JSON.createObjectNode().put("workloadIdentityToken", workloadToken)
                .put("resourceCredentialProviderName", PROVIDER).put("oauth2Flow", "USER_FEDERATION")
                .put("resourceOauth2ReturnUrl", RETURN_URL);
        body.putArray("scopes").add("openid");
        return body.toString();
    }

    /** A signed GetResourceOauth2Token request that can be sent repeatedly for a minute or so. */
    HttpRequest signedTokenRequest(URI node, String workloadToken) {
        return calls.sign(node, "/identities/oauth2/token", tokenRequest(workloadToken));
    }

    /** Sends GetResourceOauth2Token; true when the vault answered with an access token. */
    boolean tokenFromVault(HttpRequest signed) throws IOException, InterruptedException {
        return !calls.send(signed).path("accessToken").asText("").isEmpty();
    }

    /**
     * One whole 3LO flow for {@code user} on {@code node}: GetResourceOauth2Token (no token yet: an
     * authorization URL) → the browser follows Keygate's authorize URL to the IdP (which signs the
     * user in at once) and back to Keygate's callback and then to the return URL →
     * CompleteResourceTokenAuth → GetResourceOauth2Token answers from the vault. True when it does.
     */
    boolean consent(URI node, String user) throws IOException, InterruptedException {
        return consent(node, user, true);
    }

    /** A 3LO flow; without {@code verify} it ends at CompleteResourceTokenAuth (the vault is not read). */
    boolean consent(URI node, String user, boolean verify) throws IOException, InterruptedException {
        String workloadToken = workloadToken(node, user);
        JsonNode started = calls.call(node, "/identities/oauth2/token", SignedCalls.JSON.readTree(tokenRequest(workloadToken)));
        String next = started.path("authorizationUrl").asText(null);
        if (next == null) {
            throw new IllegalStateException("GetResourceOauth2Token gave neither a token nor an authorization URL");
        }
        for (int hop = 0; hop < 8 && next != null && !next.startsWith(RETURN_URL); hop++) {
            next = calls.location(next);
        }
        if (next == null || !next.startsWith(RETURN_URL)) {
            throw new IllegalStateException("the browser did not reach the return URL (ended at " + next + ")");
        }
        calls.call(node, "/identities/CompleteResourceTokenAuth", Map.of("sessionUri",
                started.path("sessionUri").asText(), "userIdentifier", Map.of("userId", user)));
        return !verify || tokenFromVault(signedTokenRequest(node, workloadToken));
    }

    /** The Keygate JVMs, for CPU accounting. */
    List<Long> pids() {
        return nodes.stream().map(KeygateProcess::pid).toList();
    }

    @Override
    public void close() {
        cleanup.closeAll();
    }
}
