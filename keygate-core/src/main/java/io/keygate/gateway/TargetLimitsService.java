package io.keygate.gateway;

import com.github.benmanes.caffeine.cache.Cache;
import io.keygate.cache.Caches;
import io.keygate.error.Validation;
import io.keygate.store.ResourceRepository;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-target overrides of the call limits, a Keygate extension kept beside the target (the AWS target
 * shape has no such fields): {@code timeoutSeconds}, {@code maxResponseBytes} and
 * {@code maxConcurrentCalls}, each null for the configured default. Tool calls read the effective limits
 * through a cache of ten seconds, so a change reaches every node within that time without a database read
 * per call.
 *
 * @see TargetLimits
 */
public final class TargetLimitsService {
    public static final String KIND = "gateway-target-limits";
    private final ResourceRepository<LimitOverride> overrides;
    private final GatewayTargetService targets;
    private final TargetLimits defaults;
    private final Cache<String, TargetLimits> effective = Caches.newBuilder()
            .maximumSize(10_000).expireAfterWrite(Duration.ofSeconds(10)).build();

    public TargetLimitsService(ResourceRepository<LimitOverride> overrides, GatewayTargetService targets, TargetLimits defaults) {
        this.overrides = Objects.requireNonNull(overrides, "overrides must not be null");
        this.targets = Objects.requireNonNull(targets, "targets must not be null");
        this.defaults = Objects.requireNonNull(defaults, "defaults must not be null");
    }

    /** A target's own values; null means the default. */
    public record LimitOverride(Integer timeoutSeconds, Integer maxResponseBytes, Integer maxConcurrentCalls) {
        static final LimitOverride NONE = new LimitOverride(null, null, null);

        boolean isEmpty() {
            return equals(NONE);
        }
    }

    /** What {@code GET} and {@code PUT} answer: the target, its own values, the defaults and what applies. */
    public record View(String gatewayId, String targetId, LimitOverride override, TargetLimits defaults, TargetLimits effective) {
    }

    public View get(String gatewayIdentifier, String targetId) {
        GatewayTarget target = targets.get(gatewayIdentifier, targetId);
        LimitOverride override = overrides.find(GatewayTarget.key(target.gatewayId(), target.targetId()))
                .orElse(LimitOverride.NONE);
        return new View(target.gatewayId(), target.targetId(), override, defaults, apply(override));
    }

    /** Replaces the target's override; all values null removes it (the defaults apply again). */
    public View set(String gatewayIdentifier, String targetId, LimitOverride override) {
        new Validation().range("timeoutSeconds", override.timeoutSeconds(), 1, TargetLimits.MAX_TIMEOUT_SECONDS)
                .range("maxResponseBytes", override.maxResponseBytes(), TargetLimits.MIN_RESPONSE_BYTES, TargetLimits.MAX_RESPONSE_BYTES)
                .range("maxConcurrentCalls", override.maxConcurrentCalls(), 1, TargetLimits.MAX_CONCURRENT_CALLS)
                .throwIfInvalid();
        GatewayTarget target = targets.get(gatewayIdentifier, targetId);
        String key = GatewayTarget.key(target.gatewayId(), target.targetId());
        boolean exists = overrides.find(key).isPresent();
        if (override.isEmpty()) {
            if (exists) {
                overrides.delete(key);
            }
        } else if (exists) {
            overrides.replace(key, override, false, null);
        } else {
            overrides.create(key, override, null);
        }
        effective.invalidate(key);
        return new View(target.gatewayId(), target.targetId(), override, defaults, apply(override));
    }

    /** The limits a call to this target runs with (the target is known to exist). */
    public TargetLimits effective(String gatewayId, String targetId) {
        String key = GatewayTarget.key(gatewayId, targetId);
        return effective.get(key, unused -> apply(overrides.find(key).orElse(LimitOverride.NONE)));
    }

    private TargetLimits apply(LimitOverride override) {
        return new TargetLimits(override.timeoutSeconds() == null ? defaults.timeout()
                : Duration.ofSeconds(override.timeoutSeconds()),
                override.maxResponseBytes() == null ? defaults.maxResponseBytes() : override.maxResponseBytes(),
                override.maxConcurrentCalls() == null ? defaults.maxConcurrentCalls() : override.maxConcurrentCalls());
    }
}
