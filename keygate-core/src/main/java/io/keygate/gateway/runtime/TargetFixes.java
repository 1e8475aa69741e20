package io.keygate.gateway.runtime;

import io.keygate.gateway.CredentialProviderConfiguration;
import io.keygate.gateway.GatewayTarget;
import io.keygate.gateway.TargetCallException;
import io.keygate.gateway.TargetLimits;

/**
 * What to change when a target broke a limit or refused Keygate's credential, in words for the person
 * reading the tool error: the limit in force and the setting that raises it, or the credential
 * provider to check. Never a credential value.
 */
final class TargetFixes {
    private TargetFixes() {
    }

    static String of(TargetCallException.Reason reason, GatewayTarget target, TargetLimits limits) {
        return switch (reason) {
            case TARGET_TIMEOUT -> "Its timeout is " + limits.shownTimeout() + "; if it needs longer, "
                    + raise(target, "timeoutSeconds", "timeout-seconds", "gateway.targetTimeoutSeconds");
            case TARGET_RESPONSE_TOO_LARGE -> "Ask the tool for less (for example a smaller page), or "
                    + raise(target, "maxResponseBytes", "max-response-bytes", "gateway.targetMaxResponseBytes");
            case TARGET_BUSY -> "If it is slow, lower its timeoutSeconds; if it can take more calls at once, "
                    + raise(target, "maxConcurrentCalls", "max-concurrent-calls", "gateway.targetMaxConcurrentCalls");
            case TARGET_REFUSED_CREDENTIAL -> "The target refused the credential Keygate sent " + credential(target)
                    + ": check that it is valid for this target (not expired or revoked, with the scopes the target "
                    + "requires) and update the provider or the target";
        };
    }

    /** Where one limit is raised: for this target (REST or CLI), or the default in the Keygate config. */
    private static String raise(GatewayTarget target, String field, String flag, String setting) {
        return "raise " + field + " for this target (PUT /keygate/v1/gateways/" + target.gatewayId() + "/targets/"
                + target.targetId() + "/limits, or: keygate gateways limits " + target.gatewayId() + " "
                + target.targetId() + " --" + flag + " N) or the default " + setting + " in the Keygate config";
    }

    private static String credential(GatewayTarget target) {
        if (target.credentialProviderConfigurations().isEmpty()) {
            return "(none: the target has no credentialProviderConfigurations, and it needs one)";
        }
        CredentialProviderConfiguration configuration = target.credentialProviderConfigurations().get(0);
        var provider = configuration.credentialProvider();
        String arn = provider == null ? null : provider.oauthCredentialProvider() != null
                ? provider.oauthCredentialProvider().providerArn()
                : provider.apiKeyCredentialProvider() != null ? provider.apiKeyCredentialProvider().providerArn() : null;
        return "(" + configuration.credentialProviderType() + (arn == null ? "" : " from provider "
                + OutboundCredentials.providerName(arn)) + ")";
    }
}
