package io.keygate.config;

import io.keygate.oauth.jwt.TrustedIssuer;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a Keygate node is configured with. Built by {@link ConfigLoader} from defaults, an
 * optional YAML file ({@code --config}), {@code KEYGATE_*} environment variables and command-line
 * flags, in that order of precedence (later wins).
 *
 * @param host            interface to listen on
 * @param port            port to listen on; 0 picks a free one
 * @param dataDir         directory for the SQLite file, the master key file and the credentials file
 * @param databaseUrl     JDBC URL; null means SQLite at {@code dataDir/keygate.db}
 * @param databaseUser    user for PostgreSQL, or null
 * @param databasePassword password for PostgreSQL, or null
 * @param publicUrl       base URL users and IdPs reach this node at; null means {@code http://host:port}
 * @param region          region used in ARNs
 * @param accountId       12-digit account id used in ARNs
 * @param outbound        rules for the URLs Keygate fetches (discovery, token endpoints, targets)
 * @param clockSkew       how far a SigV4 request date may be from this node's clock
 * @param trustedIssuers  JWT issuers trusted for every workload (each workload may add its own)
 * @param workloadAccessTokenTtl lifetime of workload access tokens
 * @param authSessionTtl  lifetime of a 3LO consent session (its authorization URL)
 * @param refreshReplayGrace how long a refresh token whose refresh got no answer may be sent again (the
 *                        providers' replay window); after it the grant needs re-consent (security.md TV-6)
 * @param gatewayCalls    how the gateway calls its targets: default limits and Lambda endpoints
 */
public record KeygateConfig(String host, int port, Path dataDir, String databaseUrl, String databaseUser,
                            String databasePassword, URI publicUrl, String region, String accountId,
                            OutboundPolicy outbound, Duration clockSkew, List<TrustedIssuer> trustedIssuers,
                            Duration workloadAccessTokenTtl, Duration authSessionTtl, Duration refreshReplayGrace,
                            GatewayCalls gatewayCalls) {
    public KeygateConfig {
        Objects.requireNonNull(host, "host must not be null");
        Objects.requireNonNull(dataDir, "dataDir must not be null");
        Objects.requireNonNull(region, "region must not be null");
        Objects.requireNonNull(accountId, "accountId must not be null");
        Objects.requireNonNull(outbound, "outbound must not be null");
        Objects.requireNonNull(clockSkew, "clockSkew must not be null");
        trustedIssuers = trustedIssuers == null ? List.of() : List.copyOf(trustedIssuers);
        Objects.requireNonNull(workloadAccessTokenTtl, "workloadAccessTokenTtl must not be null");
        Objects.requireNonNull(authSessionTtl, "authSessionTtl must not be null");
        Objects.requireNonNull(refreshReplayGrace, "refreshReplayGrace must not be null");
        Objects.requireNonNull(gatewayCalls, "gatewayCalls must not be null");
    }

    /**
     * Rules for outbound URLs (security.md GW-8 as ARCHITECTURE.md applies it).
     *
     * @param allowHttpHosts       hosts that may be reached over plain http besides loopback
     * @param denyPrivateAddresses refuse private-range (RFC 1918, ULA) addresses; loopback stays allowed
     */
    public record OutboundPolicy(List<String> allowHttpHosts, boolean denyPrivateAddresses) {
        public OutboundPolicy {
            allowHttpHosts = List.copyOf(allowHttpHosts);
        }
    }

    /**
     * How gateways call their targets (security.md GW-7, F14).
     *
     * @param targetTimeout          default bound on one call to a target, connection to last byte
     * @param targetMaxResponseBytes default cap on a target's answer; more is not read
     * @param targetMaxConcurrentCalls default number of calls one node runs at once towards one target
     * @param lambdaEndpoints        Lambda function ARN → base URL of a Lambda-compatible invoke endpoint
     */
    public record GatewayCalls(Duration targetTimeout, int targetMaxResponseBytes, int targetMaxConcurrentCalls,
                               Map<String, URI> lambdaEndpoints) {
        public GatewayCalls {
            Objects.requireNonNull(targetTimeout, "targetTimeout must not be null");
            lambdaEndpoints = Map.copyOf(lambdaEndpoints);
        }
    }

    public Path sqliteFile() {
        return dataDir.resolve("keygate.db");
    }

    public Path credentialsFile() {
        return dataDir.resolve("credentials");
    }

    public Path masterKeyFile() {
        return dataDir.resolve("master.key");
    }

    public String effectiveDatabaseUrl() {
        return databaseUrl != null ? databaseUrl : "jdbc:sqlite:" + sqliteFile().toAbsolutePath();
    }

    public KeygateConfig withPort(int newPort) {
        return new KeygateConfig(host, newPort, dataDir, databaseUrl, databaseUser, databasePassword, publicUrl,
                region, accountId, outbound, clockSkew, trustedIssuers, workloadAccessTokenTtl, authSessionTtl,
                refreshReplayGrace, gatewayCalls);
    }

    public KeygateConfig withPublicUrl(URI newPublicUrl) {
        return new KeygateConfig(host, port, dataDir, databaseUrl, databaseUser, databasePassword, newPublicUrl,
                region, accountId, outbound, clockSkew, trustedIssuers, workloadAccessTokenTtl, authSessionTtl,
                refreshReplayGrace, gatewayCalls);
    }
}
