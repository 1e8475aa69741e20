package io.keygate.access;

import io.keygate.error.Errors;
import io.keygate.error.Validation;
import io.keygate.store.Page;
import io.keygate.store.ResourceRepository;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Issues, finds and revokes access keys. Secrets are 40 random characters (≥ 230 bits, security.md
 * SC-3), sealed at rest, shown once at creation.
 */
public final class AccessKeyService {
    public static final String KIND = "access-key";
    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final Pattern WORKLOAD_NAME = Pattern.compile("[A-Za-z0-9_.-]+");
    private final SecureRandom random = new SecureRandom();
    private final ResourceRepository<AccessKey> repository;
    private final Clock clock;

    public AccessKeyService(ResourceRepository<AccessKey> repository, Clock clock) {
        this.repository = Objects.requireNonNull(repository, "repository must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    /** A new key and its secret; the secret is not retrievable later. */
    public IssuedAccessKey create(AccessKey.Role role, List<String> workloads, String description) {
        Validation validation = new Validation().optional("description", description, 0, 256, null);
        if (role == AccessKey.Role.WORKLOAD && (workloads == null || workloads.isEmpty())) {
            validation.problem("workloads", "a workload-scoped key must name at least one workload identity");
        }
        if (role == AccessKey.Role.ADMIN && workloads != null && !workloads.isEmpty()) {
            validation.problem("workloads", "an admin key may call everything; leave workloads empty or create a workload key");
        }
        for (int i = 0; workloads != null && i < workloads.size(); i++) {
            validation.required("workloads[" + i + "]", workloads.get(i), 3, 255, WORKLOAD_NAME);
        }
        validation.throwIfInvalid();
        AccessKey key = new AccessKey("KGAK" + randomString(ID_ALPHABET, 16), role, workloads, description, clock.instant());
        String secret = randomString(SECRET_ALPHABET, 40);
        repository.create(key.accessKeyId(), key, secret);
        return new IssuedAccessKey(key, secret);
    }

    public Optional<AccessKey> find(String accessKeyId) {
        return repository.find(accessKeyId);
    }

    /** The secret of a key, for verifying signatures. */
    public String secret(String accessKeyId) {
        return repository.secret(accessKeyId).orElseThrow();
    }

    public Page<AccessKey> list(String nextToken, Integer maxResults) {
        new Validation().range("maxResults", maxResults, 1, 100).throwIfInvalid();
        return repository.list(nextToken, maxResults == null ? 100 : maxResults);
    }

    /** Revokes a key; the last admin key cannot be revoked (nobody could administer Keygate after). */
    public void delete(String accessKeyId) {
        AccessKey key = repository.get(accessKeyId);
        if (key.isAdmin() && repository.list(null, 100).items().stream().filter(AccessKey::isAdmin).count() <= 1) {
            throw Errors.conflict("Access key " + accessKeyId + " is the last admin key; create another admin key first");
        }
        repository.delete(accessKeyId);
    }

    public boolean anyExists() {
        return !repository.list(null, 1).items().isEmpty();
    }

    private String randomString(String alphabet, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /** A freshly created key with its secret, returned once. */
    public record IssuedAccessKey(AccessKey accessKey, String secretAccessKey) {
    }
}
