package io.keygate.server.extension;

import io.keygate.crypto.KeyRotationSweep;
import io.keygate.crypto.Keyring;

import java.util.List;
import java.util.Map;

/**
 * The keyring as {@code GET /keygate/v1/keys} reports it: key ids, which is primary, which still
 * open data, how many sealed secrets each wraps, and the state of the re-encryption sweep. No key
 * material.
 */
public record KeyringStatus(int primaryKeyId, List<Key> keys, Sweep sweep) {

    /** One key. */
    public record Key(int id, boolean primary, boolean enabled, long sealedSecrets) {
    }

    /** The background sweep after a rotation. */
    public record Sweep(boolean running, Integer lastResealed, Integer lastUnopenable) {
    }

    static KeyringStatus of(Keyring keyring, Map<Integer, Long> counts, boolean running, KeyRotationSweep.Result last) {
        return new KeyringStatus(keyring.primaryKeyId(), keyring.keys().stream()
                .map(key -> new Key(key.id(), key.primary(), key.enabled(), counts.getOrDefault(key.id(), 0L)))
                .toList(), new Sweep(running, last == null ? null : last.resealed(), last == null ? null : last.unopenable()));
    }
}
