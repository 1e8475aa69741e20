package io.keygate.gateway.runtime;

import io.keygate.gateway.Gateway;
import io.keygate.gateway.GatewayTarget;
import io.keygate.gateway.TargetListing;
import io.keygate.gateway.ToolLister;
import io.keygate.gateway.ToolListingException;
import io.keygate.gateway.mcp.ToolDefinition;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * Lists an MCP server target's tools with the same outbound credential its tool calls carry
 * ({@link OutboundCredentials}): as the gateway when the target is written or synchronized, or for one
 * caller on a DYNAMIC {@code tools/list}. Failures name the target; a refused credential says to check
 * the target's credential provider.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/gateway-outbound-auth.html">Outbound authorization</a>
 */
public final class TargetToolListing implements TargetListing {
    private final OutboundCredentials credentials;
    private final ToolLister lister;

    public TargetToolListing(OutboundCredentials credentials, ToolLister lister) {
        this.credentials = Objects.requireNonNull(credentials, "credentials must not be null");
        this.lister = Objects.requireNonNull(lister, "lister must not be null");
    }

    @Override
    public Outcome listAsGateway(Gateway gateway, GatewayTarget target) {
        OutboundCredentials.Outbound outbound = credentials.forListing(gateway, target, null);
        if (outbound instanceof OutboundCredentials.ConsentRequired consent) {
            return new ConsentRequired(consent.authorizationUrl());
        }
        try {
            return new Listed(list(target, outbound));
        } catch (NoCredentialException none) {
            throw new ToolListingException(none.getMessage(), null);
        }
    }

    /** There is no credential to list this target with for this caller; the message says why and what to do. */
    public static final class NoCredentialException extends RuntimeException {
        NoCredentialException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The tools {@code caller} sees on the target now, listed with the caller's own credential.
     *
     * @throws NoCredentialException when there is no credential for this caller
     * @throws ToolListingException  when the server cannot be listed
     */
    public List<ToolDefinition> listFor(Gateway gateway, GatewayTarget target, InboundCaller caller) {
        return list(target, credentials.forListing(gateway, target, Objects.requireNonNull(caller, "caller")));
    }

    private List<ToolDefinition> list(GatewayTarget target, OutboundCredentials.Outbound outbound) {
        if (!(outbound instanceof OutboundCredentials.Attach attach)) {
            String why = outbound instanceof OutboundCredentials.Refused refused ? refused.message()
                    : "target " + target.name() + " needs a consent first";
            throw new NoCredentialException(Character.toUpperCase(why.charAt(0)) + why.substring(1));
        }
        URI endpoint = URI.create(target.targetConfiguration().path("mcp").path("mcpServer").path("endpoint").asText());
        try {
            return lister.listTools(attach.applyTo(endpoint), attach.headers());
        } catch (ToolListingException failure) {
            String message = failure.getMessage();
            boolean refused = message.contains("401") || message.contains("403");
            throw new ToolListingException("Target " + target.name() + ": " + message + (refused ? " (the server refused "
                    + "the credential Keygate sent: check the target's credential provider and its secret)" : ""), failure);
        }
    }
}
