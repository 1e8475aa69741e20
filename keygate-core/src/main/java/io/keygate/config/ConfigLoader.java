package io.keygate.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.keygate.gateway.TargetLimits;
import io.keygate.oauth.jwt.TrustedIssuer;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a {@link KeygateConfig}: defaults, then the YAML file, then {@code KEYGATE_*} environment
 * variables, then explicit overrides (command-line flags). Keys are dotted camelCase as in the YAML
 * file ({@code outbound.allowHttpHosts}); the environment variable of a key is {@code KEYGATE_} plus
 * the key in upper snake case ({@code KEYGATE_OUTBOUND_ALLOW_HTTP_HOSTS}). Every bad value is reported
 * with the key that holds it.
 */
public final class ConfigLoader {
    static final List<String> KEYS = List.of("host", "port", "dataDir", "databaseUrl", "databaseUser",
            "databasePassword", "publicUrl", "region", "accountId", "outbound.allowHttpHosts",
            "outbound.denyPrivateAddresses", "clockSkewSeconds", "trustedIssuers", "workloadAccessTokenTtlSeconds",
            "authSessionTtlSeconds", "refreshReplayGraceSeconds", "gateway.targetTimeoutSeconds",
            "gateway.targetMaxResponseBytes", "gateway.targetMaxConcurrentCalls", "gateway.lambdaEndpoints");

    private ConfigLoader() {
    }

    public static KeygateConfig load(Path configFile, Map<String, String> environment, Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        values.put("host", "127.0.0.1");
        values.put("port", "8600");
        values.put("dataDir", Path.of(System.getProperty("user.home"), ".keygate").toString());
        values.put("region", "us-east-1");
        values.put("accountId", "000000000000");
        values.put("outbound.allowHttpHosts", "");
        values.put("outbound.denyPrivateAddresses", "false");
        values.put("clockSkewSeconds", "300");
        values.put("trustedIssuers", "[]");
        values.put("workloadAccessTokenTtlSeconds", "3600");
        values.put("authSessionTtlSeconds", "600");
        values.put("refreshReplayGraceSeconds", "30");
        values.put("gateway.targetTimeoutSeconds", "30");
        values.put("gateway.targetMaxResponseBytes", Integer.toString(1024 * 1024));
        values.put("gateway.targetMaxConcurrentCalls", "50");
        values.put("gateway.lambdaEndpoints", "");
        if (configFile != null) {
            values.putAll(readYaml(configFile));
        }
        for (String key : KEYS) {
            String value = environment.get(environmentVariable(key));
            if (value != null) {
                values.put(key, value);
            }
        }
        overrides.forEach((key, value) -> {
            if (value != null) {
                values.put(key, value);
            }
        });
        return build(values);
    }

    /** {@code outbound.allowHttpHosts} → {@code KEYGATE_OUTBOUND_ALLOW_HTTP_HOSTS}. */
    public static String environmentVariable(String key) {
        return "KEYGATE_" + key.replace('.', '_').replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    private static Map<String, String> readYaml(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read config file " + file + ": " + e.getMessage());
        }
        Map<String, String> flat = new HashMap<>();
        if (root != null && root.isObject()) {
            flatten("", root, flat);
        }
        for (String key : flat.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("config file " + file + ": unknown key '" + key + "'; known keys: " + KEYS);
            }
        }
        flat.values().removeIf(Objects::isNull); // "key:" without a value leaves the key unset
        return flat;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> flat) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String key = prefix + field.getKey();
            JsonNode value = field.getValue();
            if (value.isObject()) {
                flatten(key + ".", value, flat);
            } else if (value.isArray() && value.size() > 0 && value.get(0).isObject()) {
                flat.put(key, value.toString());
            } else if (value.isArray()) {
                List<String> items = new java.util.ArrayList<>();
                value.forEach(item -> items.add(item.asText()));
                flat.put(key, String.join(",", items));
            } else {
                flat.put(key, value.isNull() ? null : value.asText());
            }
        }
    }

    private static KeygateConfig build(Map<String, String> values) {
        int port = integer(values, "port", 0, 65535);
        String publicUrl = blankToNull(values.get("publicUrl"));
        URI publicUri = null;
        if (publicUrl != null) {
            try {
                publicUri = new URI(publicUrl.replaceAll("/+$", ""));
            } catch (java.net.URISyntaxException e) {
                publicUri = null;
            }
            if (publicUri == null || publicUri.getHost() == null
                    || !("https".equals(publicUri.getScheme()) || "http".equals(publicUri.getScheme()))) {
                throw new IllegalArgumentException("publicUrl must be an absolute http(s) URL such as "
                        + "https://keygate.example.com, got '" + publicUrl + "'");
            }
        }
        String accountId = values.get("accountId");
        if (!accountId.matches("\\d{12}")) {
            throw new IllegalArgumentException("accountId must be 12 digits, got '" + accountId + "'");
        }
        List<String> httpHosts = Arrays.stream(values.get("outbound.allowHttpHosts").split(","))
                .map(String::trim).filter(host -> !host.isEmpty()).toList();
        return new KeygateConfig(values.get("host"), port, Path.of(values.get("dataDir")),
                blankToNull(values.get("databaseUrl")), blankToNull(values.get("databaseUser")),
                blankToNull(values.get("databasePassword")), publicUri, values.get("region"), accountId,
                new KeygateConfig.OutboundPolicy(httpHosts, Boolean.parseBoolean(values.get("outbound.denyPrivateAddresses"))),
                Duration.ofSeconds(integer(values, "clockSkewSeconds", 1, 3600)), trustedIssuers(values.get("trustedIssuers")),
                Duration.ofSeconds(integer(values, "workloadAccessTokenTtlSeconds", 60, 86400)),
                Duration.ofSeconds(integer(values, "authSessionTtlSeconds", 60, 3600)),
                Duration.ofSeconds(integer(values, "refreshReplayGraceSeconds", 0, 3600)), gatewayCalls(values));
    }

    /** The defaults of the per-target limits, within the same bounds as a target's own values. */
    private static KeygateConfig.GatewayCalls gatewayCalls(Map<String, String> values) {
        return new KeygateConfig.GatewayCalls(Duration.ofSeconds(integer(values, "gateway.targetTimeoutSeconds", 1,
                TargetLimits.MAX_TIMEOUT_SECONDS)),
                integer(values, "gateway.targetMaxResponseBytes", TargetLimits.MIN_RESPONSE_BYTES, TargetLimits.MAX_RESPONSE_BYTES),
                integer(values, "gateway.targetMaxConcurrentCalls", 1, TargetLimits.MAX_CONCURRENT_CALLS),
                lambdaEndpoints(values.get("gateway.lambdaEndpoints")));
    }

    /**
     * {@code gateway.lambdaEndpoints}: a list of {@code {functionArn, endpoint}} (YAML, or JSON in the
     * environment), or {@code arn=url} pairs separated by commas.
     */
    private static Map<String, URI> lambdaEndpoints(String text) {
        Map<String, URI> endpoints = new java.util.LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return endpoints;
        }
        String hint = "gateway.lambdaEndpoints must list {functionArn, endpoint} pairs (or arn=url, comma-separated) "
                + "with a Lambda function ARN and the http(s) base URL of its invoke endpoint";
        try {
            if (text.trim().startsWith("[")) {
                for (JsonNode pair : new ObjectMapper().readTree(text)) {
                    endpoints.put(pair.path("functionArn").asText(""), URI.create(pair.path("endpoint").asText("")));
                }
            } else {
                for (String pair : text.split(",")) {
                    int equals = pair.indexOf('=');
                    endpoints.put(pair.substring(0, Math.max(equals, 0)).trim(), URI.create(pair.substring(equals + 1).trim()));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(hint + ": " + e.getMessage().split("\n")[0]);
        }
        endpoints.forEach((arn, url) -> {
            if (!arn.matches("arn:aws[a-zA-Z-]*:lambda:[^:]+:\\d{12}:function:.+") || url.getHost() == null
                    || !("https".equals(url.getScheme()) || "http".equals(url.getScheme()))) {
                throw new IllegalArgumentException(hint + "; got '" + arn + "' -> '" + url + "'");
            }
        });
        return endpoints;
    }

    /** A JSON list of {issuer, discoveryUrl | jwksUri, audiences, algorithms}. */
    private static List<TrustedIssuer> trustedIssuers(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return List.of(new ObjectMapper().readValue(json, TrustedIssuer[].class));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("trustedIssuers must be a list of {issuer, discoveryUrl or jwksUri, "
                    + "audiences, algorithms}: " + e.getMessage().split("\n")[0]);
        }
    }

    private static int integer(Map<String, String> values, String key, int min, int max) {
        try {
            int value = Integer.parseInt(values.get(key).trim());
            if (value < min || value > max) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number from " + min + " to " + max
                    + ", got '" + values.get(key) + "'");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
