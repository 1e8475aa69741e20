package io.keygate.server;

import io.keygate.access.AccessKey;
import io.keygate.access.AccessKeyService;
import io.keygate.config.Arns;
import io.keygate.config.KeygateConfig;
import io.keygate.crypto.KeyringService;
import io.keygate.crypto.MasterKeyLoader;
import io.keygate.fault.FaultPoints;
import io.keygate.gateway.Gateway;
import io.keygate.gateway.GatewayService;
import io.keygate.gateway.GatewayTarget;
import io.keygate.gateway.GatewayTargetService;
import io.keygate.gateway.McpToolLister;
import io.keygate.identity.provider.ApiKeyCredentialProvider;
import io.keygate.identity.provider.ApiKeyCredentialProviderService;
import io.keygate.identity.provider.MetadataResolver;
import io.keygate.identity.provider.Oauth2CredentialProvider;
import io.keygate.identity.provider.Oauth2CredentialProviderService;
import io.keygate.identity.provider.VendorCatalogue;
import io.keygate.identity.vault.TokenVault;
import io.keygate.identity.vault.TokenVaultService;
import io.keygate.identity.workload.WorkloadIdentity;
import io.keygate.identity.workload.WorkloadIdentityService;
import io.keygate.net.OutboundHttp;
import io.keygate.net.OutboundUrlGuard;
import io.keygate.server.api.ApiRoutes;
import io.keygate.server.api.auth.SigV4Verifier;
import io.keygate.server.extension.KeyRotation;
import io.keygate.server.http.KeygateServlet;
import io.keygate.server.http.RouteHandler;
import io.keygate.server.http.Router;
import io.keygate.store.ResourceRepository;
import io.keygate.store.ResourceStore;
import io.keygate.store.jdbc.JdbcDatabase;
import io.keygate.store.jdbc.JdbcResourceStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.keygate.audit.AuditEvent;
import io.keygate.audit.AuditLog;
import io.keygate.identity.session.AuthSession;
import io.keygate.identity.session.AuthSessionService;
import io.keygate.identity.session.AuthSessions;
import io.keygate.identity.session.AuthorizationFrontChannel;
import io.keygate.identity.session.CallbackHandler;
import io.keygate.identity.session.SessionCompletion;
import io.keygate.identity.session.SessionInspector;
import io.keygate.identity.session.SessionSecrets;
import io.keygate.identity.token.ResourceTokenService;
import io.keygate.identity.token.WorkloadAccessTokenService;
import io.keygate.identity.vault.RefreshPolicy;
import io.keygate.identity.vault.UserTokenVault;
import io.keygate.identity.vault.VaultEntry;
import io.keygate.identity.vault.VaultTokens;
import io.keygate.oauth.OAuthClient;
import io.keygate.oauth.jwt.JwtValidator;
import io.keygate.server.oauth.BindingRoutes;
import io.keygate.server.oauth.FrontChannelRoutes;
import io.keygate.identity.binding.BindingAttempts;
import io.keygate.identity.binding.BindingLoginSettings;
import io.keygate.identity.binding.BindingPage;
import io.keygate.store.SealedDocuments;
import io.keygate.cache.ResourceCaches;
import io.keygate.store.ResourceChanges;
import io.keygate.store.WatchedResourceStore;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.time.Clock;
import java.util.Map;

/**
 * The composition root of one Keygate node: opens the database, unseals the keyring, builds the
 * services, bootstraps the first admin key, and serves everything on one Jetty port. Stop it with
 * {@link #close()} (the CLI does so on SIGTERM).
 */
public final class KeygateServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeygateServer.class);
    private final KeygateConfig config;
    private final JdbcDatabase database;
    private final Server jetty;
    private final Services services;
    private volatile URI publicUrl;
    private final boolean createdCredentials;
    private io.keygate.server.gateway.McpEndpoint mcpEndpoint;
    private final ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "keygate-housekeeping");
        thread.setDaemon(true);
        return thread;
    });

    private KeygateServer(KeygateConfig config, Map<String, String> environment, Clock clock, FaultPoints faults)
            throws Exception {
        this.config = config;
        WireLogGuard.install();
        prepareDataDirectory(config.dataDir());
        this.database = JdbcDatabase.open(config.effectiveDatabaseUrl(), config.databaseUser(), config.databasePassword());
        try {
            ResourceChanges changes = new ResourceChanges();
            ResourceStore store = new WatchedResourceStore(new JdbcResourceStore(database), changes);
            KeyringService keyrings = new KeyringService(store, clock);
            keyrings.unseal(() -> MasterKeyLoader.load(environment.get(MasterKeyLoader.ENVIRONMENT_VARIABLE),
                    config.masterKeyFile(), keyrings.keyringExists()));
            ResourceCaches caches = new ResourceCaches(changes, clock, Duration.ofSeconds(ResourceCaches.DEFAULT_TTL_SECONDS));
            this.services = services(config, store, keyrings, clock, faults, caches);
            this.createdCredentials = bootstrapAdminKey();
            PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            Router<RouteHandler> router = new Router<>();
            SystemRoutes.register(router, keyrings, meters);
            FrontChannelRoutes.register(router, services.frontChannel(), services.callbacks());
            BindingRoutes.register(router, services.bindingPage(), services.publicUrl());
            this.mcpEndpoint = new io.keygate.server.gateway.McpEndpoint(services.gatewayRuntime(), services.publicUrl());
            mcpEndpoint.register(router);
            ApiRoutes.register(router, services, new SigV4Verifier(services.accessKeys(), clock, config.clockSkew(), caches));
            this.jetty = jetty(config, new KeygateServlet(router, meters, clock));
            jetty.start();
            int port = ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
            this.publicUrl = config.publicUrl() != null ? config.publicUrl()
                    : URI.create("http://" + hostForUrl(config.host()) + ":" + port);
            services.keyRotation().resumeIfUnfinished();
            housekeeping.scheduleWithFixedDelay(this::houseKeep, 1, 10, TimeUnit.MINUTES);
        } catch (Exception | Error failure) {
            database.close();
            throw failure;
        }
    }

    /** Starts a node; the port may be 0 (then {@link #port()} tells which was bound). */
    public static KeygateServer start(KeygateConfig config, Map<String, String> environment) throws Exception {
        return start(config, environment, Clock.systemUTC());
    }

    /** Starts a node on the given clock (tests move it forward to check expiry rules). */
    public static KeygateServer start(KeygateConfig config, Map<String, String> environment, Clock clock) throws Exception {
        return start(config, environment, clock, FaultPoints.NONE);
    }

    /** Starts a node that reports its fault points (the crash tests stop and kill it at one). */
    public static KeygateServer start(KeygateConfig config, Map<String, String> environment, Clock clock,
                                      FaultPoints faults) throws Exception {
        return new KeygateServer(config, environment, clock, faults);
    }

    private Services services(KeygateConfig config, ResourceStore store, KeyringService keyrings, Clock clock,
                              FaultPoints faults, ResourceCaches caches) {
        Arns arns = new Arns(config.region(), config.accountId());
        Supplier<URI> url = () -> publicUrl;
        OutboundUrlGuard guard = new OutboundUrlGuard(config.outbound());
        OutboundHttp http = new OutboundHttp(guard);
        JwtValidator jwtValidator = new JwtValidator(http, clock);
        OAuthClient oauth = new OAuthClient(guard, clock, Duration.ofSeconds(10));
        MetadataResolver metadata = new MetadataResolver(http);
        var oauth2 = new Oauth2CredentialProviderService(repository(store, keyrings, clock,
                Oauth2CredentialProviderService.KIND, Oauth2CredentialProvider.class, "OAuth2 credential provider"),
                VendorCatalogue.builtIn(), metadata, clock);
        var apiKeys = new ApiKeyCredentialProviderService(repository(store, keyrings, clock,
                ApiKeyCredentialProviderService.KIND, ApiKeyCredentialProvider.class, "API key credential provider"), clock);
        var workloads = new WorkloadIdentityService(repository(store, keyrings, clock, WorkloadIdentityService.KIND,
                WorkloadIdentity.class, "workload identity"), clock);
        var audit = new AuditLog(repository(store, keyrings, clock, AuditLog.KIND, AuditEvent.class, "audit event"), clock);
        var workloadTokens = new WorkloadAccessTokenService(keyrings, workloads, jwtValidator, config.trustedIssuers(),
                clock, config.workloadAccessTokenTtl());
        var authSessions = new AuthSessions(
                new SealedDocuments<>(store, keyrings, clock, AuthSessions.KIND, AuthSession.class, SessionSecrets.class),
                new SealedDocuments<>(store, keyrings, clock, AuthSessions.STATE_KIND, AuthSessions.StateIndex.class,
                        AuthSessions.StateIndex.class));
        var vault = new UserTokenVault(new SealedDocuments<>(store, keyrings, clock, UserTokenVault.KIND,
                VaultEntry.class, VaultTokens.class),
                (provider, refreshToken, scopes) -> {
                    var answer = oauth.refresh(oauth2.clientRegistration(provider), refreshToken, scopes);
                    faults.reached(FaultPoints.REFRESH_ANSWERED);
                    return answer;
                }, clock, RefreshPolicy.defaults().withReplayGrace(config.refreshReplayGrace()), UserTokenVault.Sleeper.SYSTEM);
        var sessions = new AuthSessionService(authSessions, audit, url, clock, config.authSessionTtl());
        var completion = new SessionCompletion(authSessions, vault, workloads, workloadTokens, audit, clock);
        var targetRepository = repository(store, keyrings, clock, GatewayTargetService.KIND, GatewayTarget.class,
                "gateway target");
        var gateways = new GatewayService(repository(store, keyrings, clock, GatewayService.KIND, Gateway.class, "gateway"),
                targetRepository, workloads, guard, clock);
        var resourceTokens = new ResourceTokenService(workloadTokens, workloads, oauth2, apiKeys, vault, sessions, oauth,
                audit, clock, caches);
        var outbound = new io.keygate.gateway.runtime.OutboundCredentials(workloadTokens, resourceTokens, apiKeys, clock,
                caches);
        var targetListing = new io.keygate.gateway.runtime.TargetToolListing(outbound,
                new McpToolLister(guard, Duration.ofSeconds(10)));
        var gatewayTargets = new GatewayTargetService(targetRepository, gateways, oauth2, apiKeys, targetListing, guard,
                clock);
        completion.onCompleted(session -> gatewayTargets.consentCompleted(session.workload(), session.principalKey()));
        var gatewayTools = new io.keygate.gateway.runtime.GatewayTools(gatewayTargets, caches);
        var targetLimits = new io.keygate.gateway.TargetLimitsService(repository(store, keyrings, clock,
                io.keygate.gateway.TargetLimitsService.KIND, io.keygate.gateway.TargetLimitsService.LimitOverride.class,
                "target limits"), gatewayTargets, new io.keygate.gateway.TargetLimits(config.gatewayCalls().targetTimeout(),
                config.gatewayCalls().targetMaxResponseBytes(), config.gatewayCalls().targetMaxConcurrentCalls()));
        var gatewayRuntime = new io.keygate.gateway.runtime.GatewayRuntime(gateways,
                new io.keygate.gateway.runtime.InboundAuthorizer(jwtValidator, clock),
                new io.keygate.gateway.mcp.ResourceMcpSessionStore(store, clock), gatewayTools,
                outbound,
                new io.keygate.gateway.runtime.TargetCalls(new io.keygate.gateway.McpToolCaller(guard),
                        new io.keygate.gateway.OpenApiCaller(guard),
                        new io.keygate.gateway.LambdaCaller(guard, config.gatewayCalls().lambdaEndpoints()), targetLimits),
                new io.keygate.gateway.runtime.ElicitationWatch(repository(store, keyrings, clock,
                        io.keygate.gateway.runtime.ElicitationWatch.KIND, io.keygate.gateway.runtime.ElicitationWatch.Pending.class,
                        "pending elicitation"), authSessions, clock),
                new io.keygate.gateway.runtime.DynamicTools(gatewayTools::targetsOf, targetListing::listFor, audit,
                        Duration.ofSeconds(5), 64),
                audit, caches);
        return new Services(arns, url, keyrings, new KeyRotation(keyrings, store, clock,
                config.workloadAccessTokenTtl().plus(config.clockSkew()), faults),
                new AccessKeyService(repository(store, keyrings, clock, AccessKeyService.KIND, AccessKey.class,
                        "access key"), clock),
                oauth2, apiKeys, workloads,
                new TokenVaultService(repository(store, keyrings, clock, TokenVaultService.KIND, TokenVault.class,
                        "token vault"), clock),
                audit, workloadTokens,
                resourceTokens, vault, new AuthorizationFrontChannel(authSessions, oauth2, audit, url, clock, faults),
                new CallbackHandler(authSessions, oauth2, oauth, jwtValidator, audit, url, clock, faults),
                completion, new SessionInspector(authSessions, clock), gateways, gatewayTargets, gatewayRuntime,
                new BindingPage(authSessions, new BindingAttempts(new SealedDocuments<>(store, keyrings, clock,
                        BindingAttempts.KIND, BindingAttempts.Attempt.class, BindingAttempts.AttemptSecrets.class)),
                        workloads, oauth, jwtValidator, completion, audit, url, clock, config.authSessionTtl()),
                new BindingLoginSettings(workloads, metadata), targetLimits);
    }

    private static <T> ResourceRepository<T> repository(ResourceStore store, KeyringService keyrings, Clock clock,
                                                        String kind, Class<T> type, String displayName) {
        return new ResourceRepository<>(store, keyrings, clock, kind, type, displayName);
    }

    /** Creates the data directory owner-only (it holds the key file and the credentials), or warns when it is open. */
    private static void prepareDataDirectory(java.nio.file.Path dataDir) throws java.io.IOException {
        var ownerOnly = java.nio.file.attribute.PosixFilePermissions.fromString("rwx------");
        if (!java.nio.file.Files.exists(dataDir)) {
            java.nio.file.Files.createDirectories(dataDir);
            java.nio.file.Files.setPosixFilePermissions(dataDir, ownerOnly);
        } else if (!java.nio.file.Files.getPosixFilePermissions(dataDir).equals(ownerOnly)) {
            LOG.warn("The data directory {} is readable by other users; restrict it with: chmod 700 {}", dataDir, dataDir);
        }
    }

    /** On the very first start: an admin key, written to the credentials file. */
    private boolean bootstrapAdminKey() {
        if (services.keyrings().isSealed() || services.accessKeys().anyExists()) {
            return false;
        }
        var issued = services.accessKeys().create(AccessKey.Role.ADMIN, null, "bootstrap admin key");
        CredentialsFile.write(config.credentialsFile(), issued);
        LOG.info("Created the admin access key {} and wrote it to {}", issued.accessKey().accessKeyId(),
                config.credentialsFile());
        return true;
    }

    private static Server jetty(KeygateConfig config, KeygateServlet servlet) {
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("keygate-http");
        // null on Java 17; on 21+ requests run on virtual threads
        threads.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("keygate-vt"));
        Server server = new Server(threads);
        org.eclipse.jetty.server.HttpConfiguration http = new org.eclipse.jetty.server.HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendDateHeader(false);
        // Jetty's per-connection header cache learns each connection's bearer JWT and then walks every later
        // request's Authorization line through a trie character by character; without it the parser copies
        // the line into a string instead. bench/ could not tell the two apart (about 1 % either way)
        http.setHeaderCacheSize(0);
        // the AWS SDKs encode a gateway ARN in the path as one segment (".../gateway%2Fid/"); the router matches raw paths
        http.setUriCompliance(org.eclipse.jetty.http.UriCompliance.DEFAULT.with("aws-arn-path-parameters",
                org.eclipse.jetty.http.UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        ServerConnector connector = new ServerConnector(server, new org.eclipse.jetty.server.HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addServlet(new ServletHolder("keygate", servlet), "/*");
        context.getServletHandler().setDecodeAmbiguousURIs(true);
        server.setHandler(context);
        server.setStopTimeout(5_000);
        return server;
    }

    private static String hostForUrl(String host) {
        if (host.equals("0.0.0.0") || host.equals("::")) {
            return "127.0.0.1";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private void houseKeep() {
        try {
            if (!services.keyrings().isSealed()) {
                services.sessionInspector().sweepExpired();
                services.bindingPage().sweepExpired();
                services.keyRotation().resumeIfUnfinished();
            }
        } catch (RuntimeException failure) {
            LOG.warn("Housekeeping (expired auth sessions, old keys) failed; it runs again in 10 minutes", failure);
        }
    }

    public int port() {
        return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
    }

    public URI publicUrl() {
        return publicUrl;
    }

    public URI localUrl() {
        return URI.create("http://" + hostForUrl(config.host()) + ":" + port());
    }

    public KeygateConfig config() {
        return config;
    }

    public boolean isSealed() {
        return services.keyrings().isSealed();
    }

    /** Whether this start created the bootstrap admin key and the credentials file. */
    public boolean createdCredentials() {
        return createdCredentials;
    }

    public Services services() {
        return services;
    }

    @Override
    public void close() throws Exception {
        try {
            mcpEndpoint.close();
            jetty.stop();
        } finally {
            housekeeping.shutdownNow();
            services.keyRotation().close();
            services.audit().close();
            database.close();
        }
    }

}
