package io.keygate.gateway;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds of calls to a target: how long Keygate waits for one, connection to last byte, how many
 * bytes of its answer it reads, and how many calls one node runs towards it at once (a bulkhead: calls
 * beyond are refused at once rather than queued). Defaults come from the config
 * ({@code gateway.targetTimeoutSeconds}, {@code gateway.targetMaxResponseBytes},
 * {@code gateway.targetMaxConcurrentCalls}); a target may override them through the Keygate extension
 * {@code /keygate/v1/gateways/{gatewayId}/targets/{targetId}/limits}, since the AWS target shape has no
 * such fields. Bounding every target keeps one slow or flooding target from holding up the others
 * (security.md GW-7, F14).
 */
public record TargetLimits(Duration timeout, int maxResponseBytes, int maxConcurrentCalls) {
    /**
     * The bounds of each limit, for a target's own values and the configured defaults alike (AgentCore bounds
     * an invocation by 15 minutes).
     */
    public static final int MAX_TIMEOUT_SECONDS = 900;
    public static final int MIN_RESPONSE_BYTES = 1024;
    public static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
    public static final int MAX_CONCURRENT_CALLS = 1000;

    public TargetLimits {
        Objects.requireNonNull(timeout, "timeout must not be null");
        if (timeout.isNegative() || timeout.isZero() || maxResponseBytes <= 0 || maxConcurrentCalls <= 0) {
            throw new IllegalArgumentException("timeout, maxResponseBytes and maxConcurrentCalls must be positive");
        }
    }

    /** The timeout as people write it: {@code 30 s}, or milliseconds when it is not whole seconds. */
    public String shownTimeout() {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }

    /** The size as people write it: {@code 1 MiB}, {@code 64 KiB} or bytes. */
    public String shownMaxResponse() {
        if (maxResponseBytes % (1024 * 1024) == 0) {
            return maxResponseBytes / (1024 * 1024) + " MiB";
        }
        return maxResponseBytes % 1024 == 0 ? maxResponseBytes / 1024 + " KiB" : maxResponseBytes + " bytes";
    }
}
