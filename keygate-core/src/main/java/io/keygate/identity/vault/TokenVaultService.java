package io.keygate.identity.vault;

import io.keygate.error.Errors;
import io.keygate.error.Validation;
import io.keygate.store.ResourceRepository;

import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code GetTokenVault} and {@code SetTokenVaultCMK}. There is one vault, {@code default}, sealed by
 * the local keyring; a customer managed KMS key cannot be used because Keygate reaches no KMS, so that
 * request is refused with the local alternative ({@code ./keygate keys rotate}).
 */
public final class TokenVaultService {
    public static final String KIND = "token-vault";
    public static final String DEFAULT = "default";
    static final String SERVICE_MANAGED = "ServiceManagedKey";
    private static final Pattern ID = Pattern.compile("[a-zA-Z0-9\\-_]+");

    private final ResourceRepository<TokenVault> repository;
    private final Clock clock;

    public TokenVaultService(ResourceRepository<TokenVault> repository, Clock clock) {
        this.repository = Objects.requireNonNull(repository, "repository must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    public TokenVault get(String tokenVaultId) {
        String id = checkId(tokenVaultId);
        return repository.find(id).orElseGet(() -> {
            TokenVault created = new TokenVault(DEFAULT, SERVICE_MANAGED, null, clock.instant());
            try {
                repository.create(DEFAULT, created, null);
            } catch (io.keygate.error.ServiceException createdMeanwhile) {
                return repository.get(DEFAULT);
            }
            return created;
        });
    }

    public TokenVault setKmsConfiguration(String tokenVaultId, String keyType, String kmsKeyArn) {
        String id = checkId(tokenVaultId);
        new Validation().required("kmsConfiguration.keyType", keyType, 1, 64, null)
                .oneOf("kmsConfiguration.keyType", keyType, List.of("CustomerManagedKey", SERVICE_MANAGED))
                .throwIfInvalid();
        if (!SERVICE_MANAGED.equals(keyType)) {
            throw Errors.invalidField("kmsConfiguration.keyType", "Keygate seals the vault with its local keyring and "
                    + "reaches no KMS, so CustomerManagedKey cannot be used; use ServiceManagedKey and rotate the "
                    + "keyring with `./keygate keys rotate`");
        }
        get(id);
        TokenVault updated = new TokenVault(DEFAULT, SERVICE_MANAGED, null, clock.instant());
        repository.replace(DEFAULT, updated, false, null);
        return updated;
    }

    private static String checkId(String tokenVaultId) {
        String id = tokenVaultId == null ? DEFAULT : tokenVaultId;
        new Validation().required("tokenVaultId", id, 1, 64, ID).throwIfInvalid();
        if (!DEFAULT.equals(id)) {
            throw Errors.notFound("No token vault named '" + id + "' exists; Keygate has one vault, 'default'");
        }
        return id;
    }
}
