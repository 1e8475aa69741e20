package io.keygate.server.api.control;

import io.keygate.identity.vault.TokenVault;

import java.time.Instant;

/** The response of GetTokenVault and SetTokenVaultCMK. */
record TokenVaultOutput(String tokenVaultId, KmsConfiguration kmsConfiguration, Instant lastModifiedDate) {

    /** The AWS {@code KmsConfiguration} shape. */
    record KmsConfiguration(String keyType, String kmsKeyArn) {
    }

    static TokenVaultOutput of(TokenVault vault) {
        return new TokenVaultOutput(vault.tokenVaultId(), new KmsConfiguration(vault.keyType(), vault.kmsKeyArn()),
                vault.lastModifiedDate());
    }
}
