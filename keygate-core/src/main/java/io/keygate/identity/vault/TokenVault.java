package io.keygate.identity.vault;

import java.time.Instant;

/**
 * The token vault's settings as AWS reports them. Keygate encrypts with its local keyring, which it
 * reports as {@code ServiceManagedKey}.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_GetTokenVault.html">GetTokenVault</a>
 */
public record TokenVault(String tokenVaultId, String keyType, String kmsKeyArn, Instant lastModifiedDate) {
}
