package io.keygate.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ConfigLoader}: defaults, then the YAML file, then {@code KEYGATE_*} environment variables,
 * then overrides; every bad value is reported with the key that holds it. Covers the
 * {@code outbound.*} policy keys the URL guard uses (GW-8).
 */
class ConfigLoaderTests {
    @TempDir
    Path dir;

    private Path yaml(String text) throws IOException {
        return Files.writeString(dir.resolve("keygate.yaml"), text);
    }

    private static KeygateConfig load(Path file, Map<String, String> environment, Map<String, String> overrides) {
        return ConfigLoader.load(file, environment, overrides);
    }

    @Test
    void loadWhenNothingGivenThenDefaults() {
        KeygateConfig config = load(null, Map.of(), Map.of());

        assertThat(config.port()).isEqualTo(8600);
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.region()).isEqualTo("us-east-1");
        assertThat(config.accountId()).isEqualTo("000000000000");
        assertThat(config.publicUrl()).isNull();
        assertThat(config.databaseUrl()).isNull();
        assertThat(config.clockSkew()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.outbound().allowHttpHosts()).isEmpty();
        assertThat(config.outbound().denyPrivateAddresses()).isFalse();
    }

    @Test
    void loadWhenYamlFileGivenThenItsValuesRead() throws IOException {
        Path file = yaml("""
                port: 9100
                publicUrl: https://keygate.example.com/
                outbound:
                  allowHttpHosts:
                    - idp.internal
                    - 10.0.0.5
                  denyPrivateAddresses: true
                """);

        KeygateConfig config = load(file, Map.of(), Map.of());

        assertThat(config.port()).isEqualTo(9100);
        assertThat(config.publicUrl()).isEqualTo(URI.create("https://keygate.example.com"));
        assertThat(config.outbound().allowHttpHosts()).containsExactly("idp.internal", "10.0.0.5");
        assertThat(config.outbound().denyPrivateAddresses()).isTrue();
        assertThat(config.host()).as("keys not in the file keep their default").isEqualTo("127.0.0.1");
    }

    @Test
    void loadWhenEnvironmentSetsPortThenOverridesFile() throws IOException {
        Path file = yaml("port: 9100\n");
        KeygateConfig config = load(file, Map.of("KEYGATE_PORT", "9200",
                "KEYGATE_OUTBOUND_ALLOW_HTTP_HOSTS", "a.internal, b.internal"), Map.of());
        assertThat(config.port()).isEqualTo(9200);
        assertThat(config.outbound().allowHttpHosts()).containsExactly("a.internal", "b.internal");
    }

    @Test
    void loadWhenOverrideGivenThenWinsOverEnvironmentAndFile() throws IOException {
        Path file = yaml("port: 9100\nregion: eu-west-1\n");
        KeygateConfig config = load(file, Map.of("KEYGATE_PORT", "9200"), Map.of("port", "9300"));
        assertThat(config.port()).isEqualTo(9300);
        assertThat(config.region()).isEqualTo("eu-west-1");
    }

    @Test
    void environmentVariableWhenDottedCamelCaseKeyThenUpperSnakeCase() {
        assertThat(ConfigLoader.environmentVariable("outbound.allowHttpHosts")).isEqualTo("KEYGATE_OUTBOUND_ALLOW_HTTP_HOSTS");
        assertThat(ConfigLoader.environmentVariable("clockSkewSeconds")).isEqualTo("KEYGATE_CLOCK_SKEW_SECONDS");
        assertThat(ConfigLoader.environmentVariable("port")).isEqualTo("KEYGATE_PORT");
    }

    @Test
    void loadWhenPortNotANumberThenIllegalArgumentNamingPort() {
        assertThatThrownBy(() -> load(null, Map.of("KEYGATE_PORT", "abc"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port")
                .hasMessageContaining("'abc'");
    }

    @Test
    void loadWhenPortOutOfRangeThenIllegalArgumentNamingPort() {
        assertThatThrownBy(() -> load(null, Map.of(), Map.of("port", "70000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port");
    }

    @Test
    void loadWhenYamlHasUnknownKeyThenMessageNamesKey() throws IOException {
        Path file = yaml("port: 9100\noutbound:\n  allowHtpHosts: [x]\n");
        assertThatThrownBy(() -> load(file, Map.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'outbound.allowHtpHosts'");
    }

    @Test
    void loadWhenAccountIdNotTwelveDigitsThenRejected() {
        assertThatThrownBy(() -> load(null, Map.of(), Map.of("accountId", "123")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("accountId")
                .hasMessageContaining("12 digits");
    }

    @Test
    void loadWhenYamlKeyHasNoValueThenKeyLeftAtDefault() throws IOException {
        Path file = yaml("port:\naccountId: ~\npublicUrl:\n");
        KeygateConfig config = load(file, Map.of(), Map.of());
        assertThat(config.port()).isEqualTo(8600);
        assertThat(config.accountId()).isEqualTo("000000000000");
        assertThat(config.publicUrl()).isNull();
    }

    @Test
    void loadWhenUnknownYamlKeyHasNoValueThenStillNamed() throws IOException {
        Path file = yaml("prot:\n");
        assertThatThrownBy(() -> load(file, Map.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'prot'");
    }

    @Test
    void loadWhenPublicUrlNotAbsoluteThenIllegalArgumentNamingPublicUrl() {
        assertThatThrownBy(() -> load(null, Map.of(), Map.of("publicUrl", "keygate.example.com")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("publicUrl");
    }

    @Test
    void masterKeyFileWhenDataDirGivenThenInsideIt() {
        KeygateConfig config = load(null, Map.of("KEYGATE_DATA_DIR", dir.toString()), Map.of());
        assertThat(config.masterKeyFile()).isEqualTo(dir.resolve("master.key"));
        assertThat(config.effectiveDatabaseUrl()).isEqualTo("jdbc:sqlite:" + dir.resolve("keygate.db").toAbsolutePath());
    }

    @Test
    void loadWhenTrustedIssuersInYamlOrEnvironmentThenParsedAndValidated() throws IOException {
        Path file = yaml("""
                trustedIssuers:
                  - issuer: https://login.example.com
                    discoveryUrl: https://login.example.com/.well-known/openid-configuration
                    audiences: [agent-app]
                workloadAccessTokenTtlSeconds: 900
                """);
        KeygateConfig config = ConfigLoader.load(file, Map.of(), Map.of());
        assertThat(config.trustedIssuers()).singleElement().satisfies(issuer -> {
            assertThat(issuer.issuer()).isEqualTo("https://login.example.com");
            assertThat(issuer.audiences()).containsExactly("agent-app");
        });
        assertThat(config.workloadAccessTokenTtl()).hasSeconds(900);
        KeygateConfig fromEnvironment = ConfigLoader.load(null, Map.of("KEYGATE_TRUSTED_ISSUERS",
                "[{\"issuer\":\"https://idp\",\"jwksUri\":\"https://idp/jwks\"}]"), Map.of());
        assertThat(fromEnvironment.trustedIssuers()).singleElement()
                .satisfies(issuer -> assertThat(issuer.jwksUri()).isEqualTo("https://idp/jwks"));
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("KEYGATE_TRUSTED_ISSUERS",
                "[{\"issuer\":\"https://idp\"}]"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("trustedIssuers");
    }

    @Test
    void loadWhenRefreshReplayGraceGivenThenUsedAndOutOfRangeRefusedByName() {
        assertThat(load(null, Map.of(), Map.of()).refreshReplayGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(load(null, Map.of("KEYGATE_REFRESH_REPLAY_GRACE_SECONDS", "0"), Map.of()).refreshReplayGrace())
                .isZero();
        assertThatThrownBy(() -> load(null, Map.of(), Map.of("refreshReplayGraceSeconds", "-1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refreshReplayGraceSeconds");
    }

    @Test
    void loadWhenGatewayCallSettingsGivenThenDefaultsReplacedAndLambdaEndpointsParsed() throws IOException {
        KeygateConfig defaults = load(null, Map.of(), Map.of());
        assertThat(defaults.gatewayCalls().targetTimeout()).hasSeconds(30);
        assertThat(defaults.gatewayCalls().targetMaxResponseBytes()).isEqualTo(1024 * 1024);
        assertThat(defaults.gatewayCalls().targetMaxConcurrentCalls()).isEqualTo(50);
        assertThat(defaults.gatewayCalls().lambdaEndpoints()).isEmpty();
        Path file = yaml("""
                gateway:
                  targetTimeoutSeconds: 120
                  targetMaxConcurrentCalls: 8
                  lambdaEndpoints:
                    - functionArn: arn:aws:lambda:us-east-1:123456789012:function:tools
                      endpoint: http://tools.internal:9000
                """);

        KeygateConfig config = load(file, Map.of("KEYGATE_GATEWAY_TARGET_MAX_RESPONSE_BYTES", "65536"), Map.of());

        assertThat(config.gatewayCalls().targetTimeout()).hasSeconds(120);
        assertThat(config.gatewayCalls().targetMaxResponseBytes()).isEqualTo(65536);
        assertThat(config.gatewayCalls().targetMaxConcurrentCalls()).isEqualTo(8);
        assertThat(config.gatewayCalls().lambdaEndpoints()).containsExactly(Map.entry(
                "arn:aws:lambda:us-east-1:123456789012:function:tools", URI.create("http://tools.internal:9000")));
        KeygateConfig pairs = load(null, Map.of("KEYGATE_GATEWAY_LAMBDA_ENDPOINTS",
                "arn:aws:lambda:eu-west-1:123456789012:function:a=https://a.example, "
                        + "arn:aws:lambda:eu-west-1:123456789012:function:b:live=https://b.example/base"), Map.of());
        assertThat(pairs.gatewayCalls().lambdaEndpoints()).hasSize(2)
                .containsEntry("arn:aws:lambda:eu-west-1:123456789012:function:b:live", URI.create("https://b.example/base"));
    }

    @Test
    void loadWhenGatewayCallSettingsInvalidThenMessageNamesTheKey() {
        assertThatThrownBy(() -> load(null, Map.of(), Map.of("gateway.targetTimeoutSeconds", "0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gateway.targetTimeoutSeconds");
        assertThatThrownBy(() -> load(null, Map.of("KEYGATE_GATEWAY_TARGET_MAX_RESPONSE_BYTES", "10"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gateway.targetMaxResponseBytes");
        assertThatThrownBy(() -> load(null, Map.of("KEYGATE_GATEWAY_LAMBDA_ENDPOINTS", "tools=ftp://x"), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("gateway.lambdaEndpoints")
                .hasMessageContaining("'tools'");
    }
}
