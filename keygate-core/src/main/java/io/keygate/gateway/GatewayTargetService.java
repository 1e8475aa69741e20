package io.keygate.gateway;

import io.keygate.error.Errors;
import io.keygate.error.Validation;
import io.keygate.gateway.mcp.ToolDefinition;
import io.keygate.identity.provider.ApiKeyCredentialProviderService;
import io.keygate.identity.provider.Oauth2CredentialProviderService;
import io.keygate.net.OutboundUrlGuard;
import io.keygate.store.Page;
import io.keygate.store.ResourceRepository;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Create, read, replace, delete, list and synchronize the targets of a gateway, with the AWS
 * validation rules. Tools are found when the target is written: given inline, derived from an inline
 * OpenAPI document, or listed from the MCP server with the target's outbound credential (also on
 * SynchronizeGatewayTargets); {@code listingMode} DYNAMIC targets store none (tools/list asks them). A
 * listing that fails does not fail the call: as at AWS, the target is stored and its status and
 * reasons say why. An AUTHORIZATION_CODE target waits in *_PENDING_AUTH for an administrator's
 * consent ({@link TargetConsent}) and lists its tools when that consent completes.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_CreateGatewayTarget.html">CreateGatewayTarget</a>
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_SynchronizeGatewayTargets.html">SynchronizeGatewayTargets</a>
 */
public final class GatewayTargetService {
    public static final String KIND = "gateway-target";
    private static final Pattern TARGET_ID = Pattern.compile("[0-9a-zA-Z]{10}");

    private final ResourceRepository<GatewayTarget> repository;
    private final GatewayService gateways;
    private final TargetConfigurations configurations;
    private final CredentialProviderRules credentials;
    private final TargetListing listing;
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

        /** The phase a *_PENDING_AUTH target waits in. */
        static Phase waitingIn(GatewayTarget.Status status) {
            for (Phase phase : values()) {
                if (phase.pendingAuth == status) {
                    return phase;
                }
            }
            throw new IllegalArgumentException(status + " is not a pending-auth status");
        }
    }

    public GatewayTargetService(ResourceRepository<GatewayTarget> repository, GatewayService gateways,
                                Oauth2CredentialProviderService oauth2Providers,
                                ApiKeyCredentialProviderService apiKeyProviders, TargetListing listing,
                                OutboundUrlGuard guard, Clock clock) {
        this.repository = Objects.requireNonNull(repository, "repository must not be null");
        this.gateways = Objects.requireNonNull(gateways, "gateways must not be null");
        this.configurations = new TargetConfigurations(Objects.requireNonNull(guard, "guard must not be null"));
        this.credentials = new CredentialProviderRules(oauth2Providers, apiKeyProviders);
        this.listing = Objects.requireNonNull(listing, "listing must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    public GatewayTarget create(String gatewayIdentifier, GatewayTargetInput input) {
        Gateway gateway = gateways.get(gatewayIdentifier);
        TargetSource source = validate(input);
        requireUniqueName(gateway, input.name(), null);
        allowReturnUrl(gateway, input);
        Instant now = clock.instant();
        GatewayTarget target = withConsentUser(source, new GatewayTarget(GatewayIds.targetId(), gateway.gatewayId(),
                input.name(), input.description(), input.targetConfiguration(), input.credentialProviderConfigurations(),
                input.metadataConfiguration(), GatewayTarget.Status.CREATING, List.of(), null, now, now, List.of(), null));
        GatewayTarget created = target.withDiscovery(discover(source, gateway, target, Phase.CREATE), clock.instant());
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
        GatewayTarget replaced = withConsentUser(source, new GatewayTarget(current.targetId(), gateway.gatewayId(),
                input.name(), input.description(), input.targetConfiguration(), input.credentialProviderConfigurations(),
                input.metadataConfiguration(), GatewayTarget.Status.UPDATING, List.of(), current.lastSynchronizedAt(),
                current.createdAt(), clock.instant(), List.of(), current.authorization()));
        GatewayTarget updated = replaced.withDiscovery(discover(source, gateway, replaced, Phase.UPDATE), clock.instant());
        repository.replace(GatewayTarget.key(gateway.gatewayId(), current.targetId()), updated, false, null);
        return updated;
    }

    /** Deletes the target and returns it as it was; refused while it waits for consent, as at AWS. */
    public GatewayTarget delete(String gatewayIdentifier, String targetId) {
        Gateway gateway = gateways.get(gatewayIdentifier);
        GatewayTarget target = find(gateway, targetId);
        if (target.isPendingAuth()) {
            throw Errors.conflict("Target " + target.targetId() + " waits for an administrator's consent ("
                    + target.status() + ") and, as at AWS, cannot be deleted in that state: finish the consent (its "
                    + "statusReasons say how), or replace it with UpdateGatewayTarget giving its tools inline in "
                    + "mcpServer.mcpToolSchema, then delete it");
        }
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
     * Lists the tools of an MCP server target again (a *_PENDING_AUTH target gets a fresh consent link,
     * or lists if the consent was completed meanwhile). Targets whose tools are given inline (an
     * mcpToolSchema, an OpenAPI document, Lambda tool definitions) or listed live (DYNAMIC) have nothing
     * to synchronize.
     */
    public List<GatewayTarget> synchronize(String gatewayIdentifier, List<String> targetIdList) {
        Gateway gateway = gateways.get(gatewayIdentifier);
        if (targetIdList == null || targetIdList.size() != 1) {
            throw Errors.invalidField("targetIdList", "must hold exactly one target id, got "
                    + (targetIdList == null ? 0 : targetIdList.size()));
        }
        GatewayTarget found = find(gateway, targetIdList.get(0));
        TargetSource source = storedSource(found);
        if (!source.listsTools()) {
            throw Errors.invalidField("targetIdList[0]", "target " + found.targetId() + " takes its tools from its "
                    + "inline schema, so there is nothing to synchronize; only MCP server targets without an inline "
                    + "mcpToolSchema are synchronized. To list the tools from the server, remove mcpToolSchema with "
                    + "UpdateGatewayTarget; to change them, update the schema");
        }
        if (source.dynamic()) {
            throw Errors.invalidField("targetIdList[0]", "target " + found.targetId() + " uses listingMode DYNAMIC: "
                    + "every tools/list asks its server, so there is nothing to synchronize. Set listingMode DEFAULT "
                    + "with UpdateGatewayTarget to have its tools stored");
        }
        GatewayTarget target = withConsentUser(source, found);
        GatewayTarget synchronizedTarget = target.withDiscovery(discover(source, gateway, target, Phase.SYNCHRONIZE),
                clock.instant());
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

    /**
     * A 3LO session completed. When it was the administrator consent of a *_PENDING_AUTH target (its
     * synthetic user, on the gateway's workload identity, which is named like the gateway id), the
     * target lists its tools with that token now and the result is stored.
     *
     * @return the target as stored, or empty when the session was no target's consent
     */
    public Optional<GatewayTarget> consentCompleted(String workload, String principalKey) {
        Optional<GatewayTarget> waiting = TargetConsent.targetIdOf(principalKey)
                .flatMap(targetId -> repository.find(GatewayTarget.key(workload, targetId)))
                .filter(target -> target.isPendingAuth() && target.authorization() != null
                        && target.authorization().userId().equals(TargetConsent.userIdOf(principalKey)));
        if (waiting.isEmpty()) {
            return Optional.empty();
        }
        GatewayTarget target = waiting.get();
        TargetDiscovery discovery = discover(storedSource(target), gateways.get(target.gatewayId()), target,
                Phase.waitingIn(target.status()));
        GatewayTarget listed = target.withDiscovery(discovery, clock.instant());
        repository.replace(GatewayTarget.key(target.gatewayId(), target.targetId()), listed, false, null);
        return Optional.of(listed);
    }

    private TargetDiscovery discover(TargetSource source, Gateway gateway, GatewayTarget target, Phase phase) {
        List<ToolDefinition> noTools = phase == Phase.SYNCHRONIZE ? null : List.of();
        if (!source.storesListedTools()) {
            return new TargetDiscovery(GatewayTarget.Status.READY, List.of(),
                    source.knownTools() == null ? List.of() : source.knownTools(), null, null);
        }
        try {
            TargetListing.Outcome outcome = listing.listAsGateway(gateway, target);
            if (outcome instanceof TargetListing.ConsentRequired consent) {
                return new TargetDiscovery(phase.pendingAuth, List.of(TargetConsent.pendingReason(target)), noTools,
                        null, consent.authorizationUrl());
            }
            List<String> reasons = TargetConsent.usesAuthorizationCode(target)
                    ? List.of(TargetConsent.listedReason(target)) : List.of();
            return new TargetDiscovery(GatewayTarget.Status.READY, reasons, ((TargetListing.Listed) outcome).tools(),
                    clock.instant(), null);
        } catch (ToolListingException failure) {
            return new TargetDiscovery(phase.failed, List.of(failure.getMessage()), noTools, null, null);
        }
    }

    /** The target with a synthetic consent user when its tools are listed with an administrator's consent. */
    private static GatewayTarget withConsentUser(TargetSource source, GatewayTarget target) {
        if (!source.storesListedTools() || !TargetConsent.usesAuthorizationCode(target) || target.authorization() != null) {
            return target;
        }
        return target.withAuthorizationUser(TargetConsent.newUserId(target.gatewayId(), target.targetId()));
    }

    private TargetSource storedSource(GatewayTarget target) {
        Validation validation = new Validation();
        TargetSource source = configurations.parse(target.targetConfiguration(), validation);
        validation.throwIfInvalid();
        return source;
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
