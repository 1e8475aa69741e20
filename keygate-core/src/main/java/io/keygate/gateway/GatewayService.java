package io.keygate.gateway;

import io.keygate.error.Errors;
import io.keygate.error.Validation;
import io.keygate.identity.workload.WorkloadIdentity;
import io.keygate.identity.workload.WorkloadIdentityService;
import io.keygate.net.OutboundUrlGuard;
import io.keygate.store.Page;
import io.keygate.store.ResourceRepository;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Create, read, replace, delete and list gateways, with the AWS validation rules. Each gateway owns a
 * workload identity named like its id, created with it and deleted with it; a gateway with targets
 * cannot be deleted (AWS refuses too).
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_CreateGateway.html">CreateGateway</a>
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_DeleteGateway.html">DeleteGateway</a>
 */
public final class GatewayService {
    public static final String KIND = "gateway";
    static final Pattern GATEWAY_ID = Pattern.compile("([0-9a-z][-]?){1,100}-[0-9a-z]{10}");
    private static final Pattern GATEWAY_ARN = Pattern.compile("arn:aws[^:]*:bedrock-agentcore:[^:]*:[^:]*:gateway/(.+)");

    private final ResourceRepository<Gateway> repository;
    private final ResourceRepository<GatewayTarget> targets;
    private final WorkloadIdentityService workloads;
    private final GatewayRules rules;
    private final Clock clock;

    public GatewayService(ResourceRepository<Gateway> repository, ResourceRepository<GatewayTarget> targets,
                          WorkloadIdentityService workloads, OutboundUrlGuard guard, Clock clock) {
        this.repository = Objects.requireNonNull(repository, "repository must not be null");
        this.targets = Objects.requireNonNull(targets, "targets must not be null");
        this.workloads = Objects.requireNonNull(workloads, "workloads must not be null");
        this.rules = new GatewayRules(Objects.requireNonNull(guard, "guard must not be null"));
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    /** Creates the gateway and its workload identity; the identity is removed again if storing the gateway fails. */
    public Gateway create(GatewayInput input) {
        rules.validate(input);
        String gatewayId = GatewayIds.gatewayId(input.name());
        Instant now = clock.instant();
        Gateway gateway = new Gateway(gatewayId, input.name(), input.description(), input.roleArn(),
                input.effectiveProtocolType(), input.protocolConfiguration(), input.authorizerType(),
                input.authorizerConfiguration(), input.exceptionLevel(), gatewayId, input.tags(), Gateway.Status.READY,
                List.of(), now, now);
        workloads.create(gatewayId, List.of(), null);
        try {
            trustInboundIssuer(gateway);
            repository.create(gatewayId, gateway, null);
        } catch (RuntimeException failure) {
            workloads.delete(gatewayId);
            throw failure;
        }
        return gateway;
    }

    /** @param identifier the gateway id or its ARN */
    public Gateway get(String identifier) {
        String gatewayId = gatewayId(identifier);
        return repository.find(gatewayId).orElseThrow(() -> Errors.notFound("No gateway '" + identifier
                + "' exists; check the gateway id (or ARN), or list the gateways with ListGateways"));
    }

    /** Replaces the whole configuration, as AWS UpdateGateway does; id, workload identity and tags stay. */
    public Gateway update(String identifier, GatewayInput input) {
        Gateway current = get(identifier);
        rules.validate(input);
        Gateway updated = current.withInput(input, clock.instant());
        repository.replace(current.gatewayId(), updated, false, null);
        trustInboundIssuer(updated);
        return updated;
    }

    /** Deletes the gateway and its workload identity; refused while the gateway has targets. */
    public Gateway delete(String identifier) {
        Gateway gateway = get(identifier);
        var remaining = targets.listWithPrefix(GatewayTarget.key(gateway.gatewayId(), ""), null, 10);
        if (!remaining.items().isEmpty()) {
            List<String> ids = remaining.items().stream().map(GatewayTarget::targetId).toList();
            throw Errors.conflict("Gateway '" + gateway.gatewayId() + "' still has targets " + ids
                    + (remaining.nextToken() != null ? " and more" : "")
                    + "; delete its targets first with DeleteGatewayTarget, then delete the gateway");
        }
        repository.delete(gateway.gatewayId());
        if (workloads.find(gateway.workloadIdentityName()).isPresent()) {
            workloads.delete(gateway.workloadIdentityName());
        }
        return gateway;
    }

    public Page<Gateway> list(String nextToken, Integer maxResults) {
        new Validation().range("maxResults", maxResults, 1, 1000).throwIfInvalid();
        return repository.list(nextToken, maxResults == null ? 100 : maxResults);
    }

    /**
     * The gateway's workload identity trusts the issuer of its inbound JWTs, so that
     * CompleteResourceTokenAuth accepts the caller's bearer token, or any valid JWT for the same user.
     */
    private void trustInboundIssuer(Gateway gateway) {
        var jwt = gateway.authorizerConfiguration() == null ? null : gateway.authorizerConfiguration().customJWTAuthorizer();
        List<WorkloadIdentityService.TrustedIssuerRequest> issuers = jwt == null ? List.of()
                : List.of(new WorkloadIdentityService.TrustedIssuerRequest(
                io.keygate.gateway.runtime.InboundAuthorizer.issuer(jwt), jwt.discoveryUrl(), null,
                jwt.allowedAudience(), null));
        workloads.setTrustedIssuers(gateway.workloadIdentityName(), issuers);
    }

    /**
     * Adds {@code returnUrl} to the allowed 3LO return URLs of the gateway's workload identity, where
     * consent for its AUTHORIZATION_CODE targets ends.
     */
    public void allowReturnUrl(Gateway gateway, String returnUrl) {
        WorkloadIdentity identity = workloads.get(gateway.workloadIdentityName());
        if (identity.allowedResourceOauth2ReturnUrls().contains(returnUrl)) {
            return;
        }
        List<String> urls = new ArrayList<>(identity.allowedResourceOauth2ReturnUrls());
        urls.add(returnUrl);
        workloads.update(identity.name(), urls);
    }

    /** The gateway id named by {@code identifier}: the id itself or the gateway's ARN. */
    static String gatewayId(String identifier) {
        new Validation().required("gatewayIdentifier", identifier, 1, 2048, null).throwIfInvalid();
        var arn = GATEWAY_ARN.matcher(identifier);
        String gatewayId = arn.matches() ? arn.group(1) : identifier;
        if (!GATEWAY_ID.matcher(gatewayId).matches()) {
            throw Errors.invalidField("gatewayIdentifier", "must be a gateway id such as my-gateway-abc123def4 (pattern "
                    + GATEWAY_ID.pattern() + ") or a gateway ARN; got '" + identifier + "'");
        }
        return gatewayId;
    }
}
