package io.keygate.gateway;

import java.util.List;

/**
 * The AWS {@code GatewayProtocolConfiguration} union; MCP is its only member.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_MCPGatewayConfiguration.html">MCPGatewayConfiguration</a>
 */
public record GatewayProtocolConfiguration(Mcp mcp) {

    /** The MCP settings: enabled protocol versions, instructions for clients, tool search. */
    public record Mcp(List<String> supportedVersions, String instructions, String searchType,
                      SessionConfiguration sessionConfiguration, StreamingConfiguration streamingConfiguration) {
    }

    /** How long an {@code Mcp-Session-Id} lives without use. */
    public record SessionConfiguration(Integer sessionTimeoutInSeconds) {
    }

    /** Whether tool results may stream as server-sent events. */
    public record StreamingConfiguration(Boolean enableResponseStreaming) {
    }
}
