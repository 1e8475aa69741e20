package io.keygate.identity.binding;

import io.keygate.identity.principal.Hashes;
import io.keygate.store.SealedDocuments;
import io.keygate.store.SealedDocuments.Versioned;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The binding page's sign-in attempts, one record per redirect to the IdP, named by the fingerprint of
 * its {@code state} so the callback finds it without the state being stored in clear. The record holds
 * the fingerprint of the browser cookie that ties the attempt to the browser that started it; the
 * sessionUri, PKCE verifier and nonce are sealed.
 */
public final class BindingAttempts {
    public static final String KIND = "binding-attempt";

    private final SealedDocuments<Attempt, AttemptSecrets> attempts;

    /**
     * @param browserHash SHA-256 of the browser cookie value
     * @param used        set, by compare-and-set, before the code is redeemed: a replay redeems nothing
     */
    public record Attempt(String workload, String browserHash, Instant createdTime, Instant expiresTime, boolean used) {
        Attempt consumed() {
            return new Attempt(workload, browserHash, createdTime, expiresTime, true);
        }
    }

    /** The sealed half; {@link #toString()} shows none of it. */
    public record AttemptSecrets(String sessionUri, String codeVerifier, String nonce) {
        @Override
        public String toString() {
            return "AttemptSecrets[redacted]";
        }
    }

    public BindingAttempts(SealedDocuments<Attempt, AttemptSecrets> attempts) {
        this.attempts = Objects.requireNonNull(attempts, "attempts must not be null");
    }

    void create(String state, Attempt attempt, AttemptSecrets secrets) {
        if (!attempts.commit(attempts.insert(Hashes.sha256(state), attempt, secrets))) {
            throw new IllegalStateException("a binding attempt with the same random state exists");
        }
    }

    Optional<Versioned<Attempt, AttemptSecrets>> findByState(String state) {
        return attempts.find(Hashes.sha256(state));
    }

    /** Marks the attempt used; false when another request did so first. */
    boolean consume(Versioned<Attempt, AttemptSecrets> current) {
        return attempts.commit(attempts.update(current, current.document().consumed(), current.secrets()));
    }

    /** Deletes the attempts that expired before {@code cutoff}; returns how many. */
    int sweep(Instant cutoff) {
        int removed = 0;
        String after = null;
        List<Versioned<Attempt, AttemptSecrets>> page;
        while (!(page = attempts.list(after, 200)).isEmpty()) {
            for (Versioned<Attempt, AttemptSecrets> attempt : page) {
                if (attempt.document().expiresTime().isBefore(cutoff) && attempts.delete(attempt.name())) {
                    removed++;
                }
            }
            after = page.get(page.size() - 1).name();
        }
        return removed;
    }
}
