package io.keygate.config;

import java.util.Objects;

/**
 * Builds the ARNs Keygate reports, in the forms the real service uses
 * ({@code arn:aws:bedrock-agentcore:{region}:{account}:token-vault/default/…}), so IAM-style tooling
 * and the AWS SDKs see familiar identifiers.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/scope-credential-provider-access.html">ARN forms</a>
 */
public record Arns(String region, String accountId) {
    public Arns {
        Objects.requireNonNull(region, "region must not be null");
        Objects.requireNonNull(accountId, "accountId must not be null");
    }

    private String prefix() {
        return "arn:aws:bedrock-agentcore:" + region + ":" + accountId + ":";
    }

    public String oauth2CredentialProvider(String name) {
        return prefix() + "token-vault/default/oauth2credentialprovider/" + name;
    }

    public String apiKeyCredentialProvider(String name) {
        return prefix() + "token-vault/default/apikeycredentialprovider/" + name;
    }

    public String workloadIdentity(String name) {
        return prefix() + "workload-identity-directory/default/workload-identity/" + name;
    }

    public String gateway(String gatewayId) {
        return prefix() + "gateway/" + gatewayId;
    }

    public String tokenVault(String id) {
        return prefix() + "token-vault/" + id;
    }

    /** The Secrets-Manager-style ARN reported for a sealed secret; {@code path} like {@code oauth2/name-AbC123}. */
    public String secret(String path) {
        return "arn:aws:secretsmanager:" + region + ":" + accountId + ":secret:bedrock-agentcore-identity!default/" + path;
    }
}
