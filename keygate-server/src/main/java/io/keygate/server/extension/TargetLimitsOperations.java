package io.keygate.server.extension;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.error.Validation;
import io.keygate.gateway.TargetLimits;
import io.keygate.gateway.TargetLimitsService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.util.List;
import java.util.Objects;

/**
 * {@code GET} and {@code PUT /keygate/v1/gateways/{gatewayId}/targets/{targetId}/limits}: a target's
 * own call timeout, response size limit and concurrency cap (a Keygate extension: the AWS target shape
 * has none). The body of {@code PUT} is {@code {"timeoutSeconds": n, "maxResponseBytes": n,
 * "maxConcurrentCalls": n}}, each optional; it replaces the target's values, and an absent value means
 * the configured default.
 */
public final class TargetLimitsOperations {
    private TargetLimitsOperations() {
    }

    /** Path parameters only. */
    public record Target(String gatewayId, String targetId) {
    }

    /** The limits as the API shows them. */
    public record Limits(Integer timeoutSeconds, Integer maxResponseBytes, Integer maxConcurrentCalls) {
        static Limits of(TargetLimits limits) {
            return new Limits((int) limits.timeout().toSeconds(), limits.maxResponseBytes(), limits.maxConcurrentCalls());
        }
    }

    /** The target's own values (absent: default), the defaults, and what calls run with. */
    public record Response(String gatewayId, String targetId, Limits target, Limits defaults, Limits effective) {
        static Response of(TargetLimitsService.View view) {
            return new Response(view.gatewayId(), view.targetId(),
                    new Limits(view.override().timeoutSeconds(), view.override().maxResponseBytes(),
                            view.override().maxConcurrentCalls()),
                    Limits.of(view.defaults()), Limits.of(view.effective()));
        }
    }

    /** {@code GET …/limits}. */
    public static final class Get implements Operation<Target, Response> {
        private final TargetLimitsService limits;

        public Get(TargetLimitsService limits) {
            this.limits = Objects.requireNonNull(limits, "limits must not be null");
        }

        @Override
        public Class<Target> inputType() {
            return Target.class;
        }

        @Override
        public Response execute(Target input, Caller caller) {
            return Response.of(limits.get(input.gatewayId(), input.targetId()));
        }
    }

    /** {@code PUT …/limits}: unknown fields and non-integers are refused, so a typo never resets a limit. */
    public static final class Put implements Operation<JsonNode, Response> {
        private static final List<String> LIMITS = List.of("timeoutSeconds", "maxResponseBytes", "maxConcurrentCalls");
        private final TargetLimitsService limits;

        public Put(TargetLimitsService limits) {
            this.limits = Objects.requireNonNull(limits, "limits must not be null");
        }

        @Override
        public Class<JsonNode> inputType() {
            return JsonNode.class;
        }

        @Override
        public Response execute(JsonNode input, Caller caller) {
            Validation validation = new Validation();
            input.fieldNames().forEachRemaining(name -> {
                if (!LIMITS.contains(name) && !name.equals("gatewayId") && !name.equals("targetId")) {
                    validation.problem(name, "is not a limit; give any of " + LIMITS);
                }
            });
            var override = new TargetLimitsService.LimitOverride(integer(input, "timeoutSeconds", validation),
                    integer(input, "maxResponseBytes", validation), integer(input, "maxConcurrentCalls", validation));
            validation.throwIfInvalid();
            return Response.of(limits.set(input.path("gatewayId").asText(), input.path("targetId").asText(), override));
        }

        private static Integer integer(JsonNode input, String field, Validation validation) {
            JsonNode value = input.path(field);
            if (value.isMissingNode() || value.isNull()) {
                return null;
            }
            if (!value.isInt()) {
                validation.problem(field, "must be a whole number");
                return null;
            }
            return value.intValue();
        }
    }
}
