package io.keygate.gateway;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The administrator consent of an OAuth AUTHORIZATION_CODE target whose tools are listed from the
 * server, as AgentCore does it: the target gets a synthetic user id {@code {gatewayId}_{targetId}_{random}},
 * its listing starts a 3LO session for that user, and the target waits in *_PENDING_AUTH until an
 * administrator consents and calls CompleteResourceTokenAuth with that user id.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/gateway-target-MCPservers.html">MCP server targets, authorization code flow</a>
 */
final class TargetConsent {
    /** GetWorkloadAccessTokenForUserId accepts 1 to 128 characters. */
    private static final int MAX_USER_ID = 128;
    private static final String PRINCIPAL_PREFIX = "user-id:";
    private static final Pattern TAIL = Pattern.compile(".*_([0-9A-Z]{10})_[0-9a-z]{10}");

    private TargetConsent() {
    }

    /** Whether the target acts with a user's consent (OAUTH with grantType AUTHORIZATION_CODE). */
    static boolean usesAuthorizationCode(GatewayTarget target) {
        return target.credentialProviderConfigurations().stream()
                .anyMatch(configuration -> configuration.oauth() != null
                        && configuration.oauth().effectiveGrantType().equals("AUTHORIZATION_CODE"));
    }

    /**
     * A new synthetic user id. The gateway part is shortened when the whole would pass 128 characters;
     * that is harmless because the gateway is known from the session's workload, and the target from the tail.
     */
    static String newUserId(String gatewayId, String targetId) {
        String tail = "_" + targetId + "_" + GatewayIds.lowerRandom();
        return gatewayId.substring(0, Math.min(gatewayId.length(), MAX_USER_ID - tail.length())) + tail;
    }

    /** The target id in a completed session's principal key ({@code user-id:{userId}}), if it is a target's user. */
    static Optional<String> targetIdOf(String principalKey) {
        if (principalKey == null || !principalKey.startsWith(PRINCIPAL_PREFIX)) {
            return Optional.empty();
        }
        Matcher matcher = TAIL.matcher(principalKey.substring(PRINCIPAL_PREFIX.length()));
        return matcher.matches() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    static String userIdOf(String principalKey) {
        return principalKey.substring(PRINCIPAL_PREFIX.length());
    }

    static String pendingReason(GatewayTarget target) {
        return "Target " + target.name() + " uses OAuth AUTHORIZATION_CODE without an inline mcpToolSchema, so Keygate "
                + "lists its tools with a token an administrator consents to. Open authorizationData.oauth2."
                + "authorizationUrl, sign in and consent; the browser returns to the target's defaultReturnUrl with a "
                + "session_id: call CompleteResourceTokenAuth with that sessionUri and userIdentifier.userId '"
                + target.authorization().userId() + "'. The target then lists its tools and becomes READY. The link "
                + "expires with its session: SynchronizeGatewayTargets gives a fresh one. To skip consent, give the "
                + "tools inline in targetConfiguration.mcp.mcpServer.mcpToolSchema";
    }

    static String listedReason(GatewayTarget target) {
        return "Tools listed with the token the administrator consented to as user id '"
                + target.authorization().userId() + "'";
    }
}
