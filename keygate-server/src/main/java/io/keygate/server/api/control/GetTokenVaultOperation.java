package io.keygate.server.api.control;

import io.keygate.identity.vault.TokenVaultService;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

/**
 * {@code POST /identities/get-token-vault}: reports the one vault, sealed by the local keyring.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_GetTokenVault.html">GetTokenVault</a>
 */
public final class GetTokenVaultOperation implements Operation<GetTokenVaultOperation.Request, TokenVaultOutput> {
    private final TokenVaultService vaults;

    public GetTokenVaultOperation(TokenVaultService vaults) {
        this.vaults = vaults;
    }

    /** The request body. */
    public record Request(String tokenVaultId) {
    }

    @Override
    public Class<Request> inputType() {
        return Request.class;
    }

    @Override
    public TokenVaultOutput execute(Request input, Caller caller) {
        return TokenVaultOutput.of(vaults.get(input.tokenVaultId()));
    }
}
