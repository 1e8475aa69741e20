package io.keygate.gateway;

import io.keygate.gateway.mcp.ToolDefinition;

import java.util.List;

/**
 * Lists the tools of an MCP server target the way the gateway reaches it, with the target's outbound
 * credential but without a user: its API key, its client-credentials token, or for OAuth
 * AUTHORIZATION_CODE the token an administrator consented to as the target's synthetic user. The seam
 * between the target rules and the credentials and network ({@code runtime.TargetToolListing} is the
 * real one).
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/gateway-target-MCPservers.html">MCP server targets</a>
 */
public interface TargetListing {

    /** What listing gave. */
    sealed interface Outcome permits Listed, ConsentRequired {
    }

    /** The server's tools. */
    record Listed(List<ToolDefinition> tools) implements Outcome {
        public Listed {
            tools = List.copyOf(tools);
        }
    }

    /** No consented token yet: the administrator opens {@code authorizationUrl} as {@code target.authorization().userId()}. */
    record ConsentRequired(String authorizationUrl) implements Outcome {
    }

    /**
     * @param target an MCP server target; {@code authorization} is set when it uses AUTHORIZATION_CODE
     * @throws ToolListingException when no credential can be had or the server cannot be listed; its
     *                              message names the target and what to fix, never a credential
     */
    Outcome listAsGateway(Gateway gateway, GatewayTarget target);
}
