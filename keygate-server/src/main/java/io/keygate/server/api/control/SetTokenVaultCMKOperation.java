package io.keygate.server.api.control;

import io.keygate.identity.vault.TokenVaultService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

/**
 * {@code POST /identities/set-token-vault-cmk}: accepts {@code ServiceManagedKey}; a customer managed
 * KMS key is refused with the local alternative.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_SetTokenVaultCMK.html">SetTokenVaultCMK</a>
 */
public final class SetTokenVaultCMKOperation implements Operation<SetTokenVaultCMKOperation.Request, TokenVaultOutput> {
    private final TokenVaultService vaults;

    public SetTokenVaultCMKOperation(TokenVaultService vaults) {
        this.vaults = vaults;
    }

    /** The request body. */
    public record Request(String tokenVaultId, TokenVaultOutput.KmsConfiguration kmsConfiguration) {
    }

    @Override
    public Class<Request> inputType() {
        return Request.class;
    }

    @Override
    public TokenVaultOutput execute(Request input, Caller caller) {
        var kms = input.kmsConfiguration();
        return TokenVaultOutput.of(vaults.setKmsConfiguration(input.tokenVaultId(), kms == null ? null : kms.keyType(),
                kms == null ? null : kms.kmsKeyArn()));
    }
}
