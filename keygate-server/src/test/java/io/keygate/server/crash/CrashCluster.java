package io.keygate.server.crash;

import io.keygate.access.AccessKey;
import io.keygate.crypto.MasterKeyLoader;
import io.keygate.server.TestKeygate;
import io.keygate.testkit.TestPostgres;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockagentcore.BedrockAgentCoreClient;
import software.amazon.awssdk.services.bedrockagentcore.model.Oauth2FlowType;
import software.amazon.awssdk.services.bedrockagentcorecontrol.model.CredentialProviderVendorType;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One fresh PostgreSQL database shared by an in-process node A (the survivor) and the child nodes the
 * crash tests kill, with the same master key and public URL as behind a load balancer; a workload
 * {@code agent}, an OAuth2 provider {@code ledger} at the {@link LedgerIdp}, and AWS SDK clients.
 */
final class CrashCluster implements AutoCloseable {
    static final String PUBLIC = "http://keygate.test";
    static final String RETURN_URL = "http://127.0.0.1:9/app/return";
    final String databaseUrl;
    final String masterKey;
    final LedgerIdp ledger = new LedgerIdp();
    final TestKeygate nodeA;
    final AwsCredentialsProvider agentKey;
    final BedrockAgentCoreClient dataA;
    final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final Path root;

    CrashCluster(Path root) throws Exception {
        this(root, TestPostgres.newDatabase());
    }

    CrashCluster(Path root, String databaseUrl) throws Exception {
        this.root = root;
        this.databaseUrl = databaseUrl;
        masterKey = TestKeygate.newMasterKey();
        nodeA = start("a");
        var control = nodeA.controlClient();
        control.createWorkloadIdentity(r -> r.name("agent").allowedResourceOauth2ReturnUrls(RETURN_URL));
        control.createOauth2CredentialProvider(r -> r.name("ledger")
                .credentialProviderVendor(CredentialProviderVendorType.CUSTOM_OAUTH2)
                .oauth2ProviderConfigInput(c -> c.customOauth2ProviderConfig(custom -> custom
                        .oauthDiscovery(d -> d.authorizationServerMetadata(m -> m.issuer(ledger.issuer())
                                .authorizationEndpoint(ledger.authorizationEndpoint().toString())
                                .tokenEndpoint(ledger.tokenEndpoint().toString()).responseTypes("code")))
                        .clientId("keygate").clientSecret("keygate-secret"))));
        var issued = nodeA.server().services().accessKeys().create(AccessKey.Role.WORKLOAD, List.of("agent"), "agent");
        agentKey = TestKeygate.credentials(issued.accessKey().accessKeyId(), issued.secretAccessKey());
        dataA = data(nodeA.server().localUrl());
    }

    /** Another in-process node on the same database (a restart, or a node that joins later). */
    TestKeygate start(String name) throws Exception {
        return TestKeygate.start(Files.createDirectories(root.resolve(name)),
                Map.of(MasterKeyLoader.ENVIRONMENT_VARIABLE, masterKey),
                Map.of("databaseUrl", databaseUrl, "databaseUser", "postgres", "databasePassword", "postgres",
                        "publicUrl", PUBLIC));
    }

    /** A node in its own JVM that stops at the {@code occurrence}-th pass of {@code point}. */
    ChildNode child(String point, int occurrence) throws Exception {
        return new ChildNode(Files.createDirectories(root.resolve("child-" + point)), databaseUrl, PUBLIC, masterKey,
                point, occurrence);
    }

    /** A data-plane client as the agent; no SDK retries, so a failure shows as it happened. */
    BedrockAgentCoreClient data(URI endpoint) {
        return BedrockAgentCoreClient.builder().endpointOverride(endpoint).region(Region.US_WEST_2)
                .credentialsProvider(agentKey).httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    String wat(BedrockAgentCoreClient data, String userId) {
        return data.getWorkloadAccessTokenForUserId(r -> r.workloadName("agent").userId(userId)).workloadAccessToken();
    }

    /** GetResourceOauth2Token: the access token, or the authorization URL of a new consent session. */
    software.amazon.awssdk.services.bedrockagentcore.model.GetResourceOauth2TokenResponse token(
            BedrockAgentCoreClient data, String wat) {
        return data.getResourceOauth2Token(r -> r.workloadIdentityToken(wat).resourceCredentialProviderName("ledger")
                .scopes("files").oauth2Flow(Oauth2FlowType.USER_FEDERATION).resourceOauth2ReturnUrl(RETURN_URL));
    }

    /** The load balancer: sends a public URL to one node. */
    static String via(URI node, String publicUrl) {
        return publicUrl.replace(PUBLIC, node.toString());
    }

    HttpResponse<String> get(String url) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    String location(String url) throws Exception {
        return get(url).headers().firstValue("Location").orElseThrow(() -> new AssertionError("no redirect from " + url));
    }

    /** Consent by {@code userId} at the IdP, all on node A: returns the sessionUri from the return URL. */
    String consentOnA(String authorizationUrl, String userId) throws Exception {
        ledger.signIn(userId);
        String toCallback = location(location(via(nodeA.server().localUrl(), authorizationUrl)));
        String toApp = location(via(nodeA.server().localUrl(), toCallback));
        assertThat(toApp).startsWith(RETURN_URL);
        return java.net.URLDecoder.decode(toApp.replaceAll(".*[?&]session_id=([^&]+).*", "$1"),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A whole grant for {@code userId} on node A; returns the WAT that reads it. */
    String grantOnA(String userId) throws Exception {
        String wat = wat(dataA, userId);
        String sessionUri = consentOnA(token(dataA, wat).authorizationUrl(), userId);
        dataA.completeResourceTokenAuth(r -> r.sessionUri(sessionUri).userIdentifier(u -> u.userId(userId)));
        return wat;
    }

    StoreAudit audit() {
        return new StoreAudit(databaseUrl, nodeA.server().services().keyrings());
    }

    @Override
    public void close() throws Exception {
        dataA.close();
        nodeA.close();
        ledger.close();
    }
}
