package io.keygate.gateway;

import io.keygate.error.Errors;
import io.keygate.error.Validation;
import io.keygate.gateway.mcp.ToolDefinition;
import io.keygate.identity.provider.ApiKeyCredentialProviderService;
import io.keygate.identity.provider.Oauth2CredentialProviderService;
import io.keygate.net.OutboundUrlGuard;
import io.keygate.store.Page;
import io.keygate.store.ResourceRepository;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Create, read, replace, delete, list and synchronize the targets of a gateway, with the AWS
 * validation rules. Tools are found when the target is written: given inline, derived from an inline
 * OpenAPI document, or listed from the MCP server (also on SynchronizeGatewayTargets). A listing that
 * fails does not fail the call: as at AWS, the target is stored and its status and reasons say why.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_CreateGatewayTarget.html">CreateGatewayTarget</a>
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_SynchronizeGatewayTargets.html">SynchronizeGatewayTargets</a>
 */
public final class GatewayTargetService {
    public static final String KIND = "gateway-target";
    private static final Pattern TARGET_ID = Pattern.compile("[0-9a-zA-Z]{10}");
    static final String CONSENT_REASON = "The target uses OAuth AUTHORIZATION_CODE and has no inline mcpToolSchema, so "
            + "its tools can only be listed with a token an administrator consents to; Keygate does not offer that "
            + "consent step yet. Give the tools inline in targetConfiguration.mcp.mcpServer.mcpToolSchema to make "
            + "the target READY.";

    private final ResourceRepository<GatewayTarget> repository;
    private final GatewayService gateways;
    private final TargetConfigurations configurations;
    private final CredentialProviderRules credentials;
    private final ToolLister lister;
    private final Clock clock;

    /** The three ways a write ends when tools must be listed: pending consent, failed, or ready. */
    private enum Phase {
        CREATE(GatewayTarget.Status.CREATE_PENDING_AUTH, GatewayTarget.Status.FAILED),
        UPDATE(GatewayTarget.Status.UPDATE_PENDING_AUTH, GatewayTarget.Status.UPDATE_UNSUCCESSFUL),
        SYNCHRONIZE(GatewayTarget.Status.SYNCHRONIZE_PENDING_AUTH, GatewayTarget.Status.SYNCHRONIZE_UNSUCCESSFUL);

        final GatewayTarget.Status pendingAuth;
        final GatewayTarget.Status failed;

        Phase(GatewayTarget.Status pendingAuth, GatewayTarget.Status failed) {
            this.pendingAuth = pendingAuth;
            this.failed = failed;
        }
    }

    public GatewayTargetService(ResourceRepository<GatewayTarget> repository, GatewayService gateways,
                                Oauth2CredentialProviderService oauth2Providers,
                                ApiKeyCredentialProviderService apiKeyProviders, ToolLister lister,
                                OutboundUrlGuard guard, Clock clock) {
        this.repository = Objects.requireNonNull(repository, "repository must not be null");
        this.gateways = Objects.requireNonNull(gateways, "gateways must not be null");
        this.configurations = new TargetConfigurations(Objects.requireNonNull(guard, "guard must not be null"));
        this.credentials = new CredentialProviderRules(oauth2Providers, apiKeyProviders);
        this.lister = Objects.requireNonNull(lister, "lister must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    public GatewayTarget create(String gatewayIdentifier, GatewayTargetInput input) {
        Gateway gateway = gateways.get(gatewayIdentifier);
        TargetSource source = validate(input);
        requireUniqueName(gateway, input.name(), null);
        allowReturnUrl(gateway, input);
        Instant now = clock.instant();
        GatewayTarget target = new GatewayTarget(GatewayIds.targetId(), gateway.gatewayId(), input.name(),
                input.description(), input.targetConfiguration(), input.credentialProviderConfigurations(),
                input.metadataConfiguration(), GatewayTarget.Status.CREATING, List.of(), null, now, now, List.of());
        GatewayTarget created = target.withDiscovery(discover(source, target, Phase.CREATE), clock.instant());
        repository.create(GatewayTarget.key(gateway.gatewayId(), created.targetId()), created, null);
        return created;
    }

    public GatewayTarget get(String gatewayIdentifier, String targetId) {
        return find(gateways.get(gatewayIdentifier), targetId);
    }

    /** Replaces the whole target, as AWS UpdateGatewayTarget does, and finds its tools again. */
    public GatewayTarget update(String gatewayIdentifier, String targetId, GatewayTargetInput input) {
        Gateway gateway = gateways.get(gatewayIdentifier);
        GatewayTarget current = find(gateway, targetId);
        TargetSource source = validate(input);
        requireUniqueName(gateway, input.name(), current.targetId());
        allowReturnUrl(gateway, input);
        GatewayTarget replaced = new GatewayTarget(current.targetId(), gateway.gatewayId(), input.name(),
                input.description(), input.targetConfiguration(), input.credentialProviderConfigurations(),
                input.metadataConfiguration(), GatewayTarget.Status.UPDATING, List.of(), current.lastSynchronizedAt(),
                current.createdAt(), clock.instant(), List.of());
        GatewayTarget updated = replaced.withDiscovery(discover(source, replaced, Phase.UPDATE), clock.instant());
        repository.replace(GatewayTarget.key(gateway.gatewayId(), current.targetId()), updated, false, null);
        return updated;
    }

    /** Deletes the target and returns it as it was. */
    public GatewayTarget delete(String gatewayIdentifier, String targetId) {
        Gateway gateway = gateways.get(gatewayIdentifier);
        GatewayTarget target = find(gateway, targetId);
        repository.delete(GatewayTarget.key(gateway.gatewayId(), target.targetId()));
        return target;
    }

    /** A page of one gateway's targets; targets of other gateways never appear. */
    public Page<GatewayTarget> list(String gatewayIdentifier, String nextToken, Integer maxResults) {
        Gateway gateway = gateways.get(gatewayIdentifier);
        new Validation().range("maxResults", maxResults, 1, 1000).throwIfInvalid();
        return repository.listWithPrefix(GatewayTarget.key(gateway.gatewayId(), ""), nextToken,
                maxResults == null ? 100 : maxResults);
    }

    /** Every target of a gateway (the MCP endpoint aggregates their tools). */
    public List<GatewayTarget> all(String gatewayId) {
        List<GatewayTarget> all = new java.util.ArrayList<>();
        String token = null;
        do {
            Page<GatewayTarget> page = repository.listWithPrefix(GatewayTarget.key(gatewayId, ""), token, 1000);
            all.addAll(page.items());
            token = page.nextToken();
        } while (token != null);
        return all;
    }

    /**
     * Lists the tools of an MCP server target again. Targets whose tools are given inline (an
     * mcpToolSchema, an OpenAPI document, Lambda tool definitions) have nothing to synchronize.
     */
    public List<GatewayTarget> synchronize(String gatewayIdentifier, List<String> targetIdList) {
        Gateway gateway = gateways.get(gatewayIdentifier);
        if (targetIdList == null || targetIdList.size() != 1) {
            throw Errors.invalidField("targetIdList", "must hold exactly one target id, got "
                    + (targetIdList == null ? 0 : targetIdList.size()));
        }
        GatewayTarget target = find(gateway, targetIdList.get(0));
        Validation validation = new Validation();
        TargetSource source = configurations.parse(target.targetConfiguration(), validation);
        validation.throwIfInvalid();
        if (!source.listsTools()) {
            throw Errors.invalidField("targetIdList[0]", "target " + target.targetId() + " takes its tools from its "
                    + "inline schema, so there is nothing to synchronize; only MCP server targets without an inline "
                    + "mcpToolSchema are synchronized. Update the target to change its tools");
        }
        GatewayTarget synchronizedTarget = target.withDiscovery(discover(source, target, Phase.SYNCHRONIZE), clock.instant());
        repository.replace(GatewayTarget.key(gateway.gatewayId(), target.targetId()), synchronizedTarget, false, null);
        return List.of(synchronizedTarget);
    }

    private TargetSource validate(GatewayTargetInput input) {
        Validation validation = new Validation()
                .required("name", input.name(), 1, 200, GatewayRules.NAME)
                .optional("description", input.description(), 1, 200, null);
        TargetSource source = configurations.parse(input.targetConfiguration(), validation);
        credentials.validate(input.credentialProviderConfigurations(), validation);
        TargetConfigurations.validateMetadata(input.metadataConfiguration(), validation);
        validation.throwIfInvalid();
        return source;
    }

    private TargetDiscovery discover(TargetSource source, GatewayTarget target, Phase phase) {
        List<ToolDefinition> noTools = phase == Phase.SYNCHRONIZE ? null : List.of();
        if (!source.listsTools()) {
            return new TargetDiscovery(GatewayTarget.Status.READY, List.of(), source.knownTools(), null);
        }
        if (needsConsent(target)) {
            return new TargetDiscovery(phase.pendingAuth, List.of(CONSENT_REASON), noTools, null);
        }
        try {
            List<ToolDefinition> tools = lister.listTools(URI.create(source.endpoint()), Map.of());
            return new TargetDiscovery(GatewayTarget.Status.READY, List.of(), tools, clock.instant());
        } catch (ToolListingException failure) {
            return new TargetDiscovery(phase.failed, List.of(failure.getMessage()), noTools, null);
        }
    }

    private static boolean needsConsent(GatewayTarget target) {
        return target.credentialProviderConfigurations().stream()
                .anyMatch(configuration -> configuration.oauth() != null
                        && configuration.oauth().effectiveGrantType().equals("AUTHORIZATION_CODE"));
    }

    private void allowReturnUrl(Gateway gateway, GatewayTargetInput input) {
        if (input.credentialProviderConfigurations() == null) {
            return;
        }
        input.credentialProviderConfigurations().stream()
                .filter(configuration -> configuration.oauth() != null && configuration.oauth().defaultReturnUrl() != null
                        && configuration.oauth().effectiveGrantType().equals("AUTHORIZATION_CODE"))
                .forEach(configuration -> gateways.allowReturnUrl(gateway, configuration.oauth().defaultReturnUrl()));
    }

    private GatewayTarget find(Gateway gateway, String targetId) {
        new Validation().required("targetId", targetId, 10, 10, TARGET_ID).throwIfInvalid();
        return repository.find(GatewayTarget.key(gateway.gatewayId(), targetId)).orElseThrow(() -> Errors.notFound(
                "No target '" + targetId + "' exists in gateway '" + gateway.gatewayId()
                        + "'; list its targets with ListGatewayTargets"));
    }

    private void requireUniqueName(Gateway gateway, String name, String exceptTargetId) {
        String token = null;
        do {
            Page<GatewayTarget> page = repository.listWithPrefix(GatewayTarget.key(gateway.gatewayId(), ""), token, 1000);
            for (GatewayTarget other : page.items()) {
                if (other.name().equals(name) && !other.targetId().equals(exceptTargetId)) {
                    throw Errors.conflict("Gateway '" + gateway.gatewayId() + "' already has a target named '" + name
                            + "' (" + other.targetId() + "); target names are unique within a gateway because tool "
                            + "names are prefixed with them");
                }
            }
            token = page.nextToken();
        } while (token != null);
    }
}
