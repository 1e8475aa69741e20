package io.keygate.store;

import io.keygate.crypto.KeyringService;
import io.keygate.crypto.Sealed;
import io.keygate.error.Errors;
import io.keygate.json.Json;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Typed access to one kind of {@link ResourceRecord}: JSON documents of type {@code T} plus an
 * optional secret sealed with the row's identity as associated data. Turns store outcomes into the
 * caller-facing errors (not found, conflict, concurrent modification) with the resource's own words.
 *
 * @param <T> the domain record stored as the document
 */
public final class ResourceRepository<T> {
    private final ResourceStore store;
    private final KeyringService keyrings;
    private final Clock clock;
    private final String kind;
    private final Class<T> type;
    private final String displayName;

    /**
     * @param displayName how callers call this resource in messages, e.g. "OAuth2 credential provider"
     */
    public ResourceRepository(ResourceStore store, KeyringService keyrings, Clock clock, String kind, Class<T> type,
                              String displayName) {
        this.store = Objects.requireNonNull(store, "store must not be null");
        this.keyrings = Objects.requireNonNull(keyrings, "keyrings must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
        this.kind = Objects.requireNonNull(kind, "kind must not be null");
        this.type = Objects.requireNonNull(type, "type must not be null");
        this.displayName = Objects.requireNonNull(displayName, "displayName must not be null");
    }

    public Optional<T> find(String name) {
        return store.find(kind, name).map(record -> Json.read(record.document(), type));
    }

    public T get(String name) {
        return find(name).orElseThrow(() -> notFound(name));
    }

    private RuntimeException notFound(String name) {
        return Errors.notFound("No " + displayName + " named '" + name + "' exists; check the name or list them first");
    }

    /** Stores a new resource with its secret (null: none). Seals before writing: a sealed Keygate writes nothing. */
    public void create(String name, T value, String secret) {
        Sealed sealed = seal(name, secret);
        var now = clock.instant();
        ResourceRecord record = new ResourceRecord(kind, name, Json.write(value), sealed == null ? null : sealed.ciphertext(),
                sealed == null ? null : sealed.keyId(), 1, now, now);
        if (!store.insert(record)) {
            throw Errors.conflict(article(displayName) + " " + displayName + " named '" + name + "' already exists; choose another name or update it");
        }
    }

    /**
     * Stores new resources without secrets in one transaction (name → value); false, with nothing
     * written, when any of the names exists.
     */
    public boolean createAll(java.util.Map<String, T> values) {
        var now = clock.instant();
        List<ResourceWrite> writes = new ArrayList<>();
        values.forEach((name, value) -> writes.add(new ResourceWrite.Insert(
                new ResourceRecord(kind, name, Json.write(value), null, null, 1, now, now))));
        return store.commit(writes);
    }

    /**
     * Replaces the document (and the secret when {@code replaceSecret}) of an existing resource; a
     * concurrent change between this method's read and write is reported, never overwritten.
     */
    public void replace(String name, T value, boolean replaceSecret, String secret) {
        ResourceRecord current = store.find(kind, name).orElseThrow(() -> notFound(name));
        var now = clock.instant();
        ResourceRecord changed = current.withDocument(Json.write(value), now);
        if (replaceSecret) {
            Sealed sealed = seal(name, secret);
            changed = changed.withSealed(sealed == null ? null : sealed.ciphertext(), sealed == null ? null : sealed.keyId(), now);
        }
        if (!store.update(changed)) {
            throw Errors.concurrentModification("The " + displayName + " '" + name + "'");
        }
    }

    public void delete(String name) {
        if (!store.delete(kind, name)) {
            throw notFound(name);
        }
    }

    /** Opens the sealed secret of a resource; empty when it has none. */
    public Optional<String> secret(String name) {
        ResourceRecord record = store.find(kind, name).orElseThrow(() -> notFound(name));
        if (record.sealed() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(keyrings.open(record.sealed(), ResourceRecord.associatedData(kind, name)));
        } catch (GeneralSecurityException tampered) {
            throw Errors.internal("sealed secret of " + kind + "/" + name + " does not open: tampered or moved row", tampered);
        }
    }

    private Sealed seal(String name, String secret) {
        return secret == null ? null : keyrings.seal(secret, ResourceRecord.associatedData(kind, name));
    }

    /** A page of resources ordered by name. */
    public Page<T> list(String nextToken, int maxResults) {
        String after = decodeToken(nextToken);
        List<ResourceRecord> records = store.list(kind, after, maxResults + 1);
        List<T> items = new ArrayList<>();
        for (int i = 0; i < Math.min(maxResults, records.size()); i++) {
            items.add(Json.read(records.get(i).document(), type));
        }
        String next = records.size() > maxResults ? encodeToken(records.get(maxResults - 1).name()) : null;
        return new Page<>(items, next);
    }

    /**
     * A page of the resources whose names start with {@code prefix}, ordered by name. Names without the
     * prefix are never returned, whatever the store's collation places between matching ones; the scan
     * reads past them in batches, so it costs one pass over the kind from the prefix on.
     */
    public Page<T> listWithPrefix(String prefix, String nextToken, int maxResults) {
        String after = nextToken == null ? prefix : decodeToken(nextToken);
        if (!after.startsWith(prefix)) {
            throw Errors.invalidField("nextToken", "belongs to another list; omit it to start from the beginning");
        }
        List<ResourceRecord> matched = new ArrayList<>();
        boolean more = false;
        int batchSize = Math.max(maxResults + 1, 100);
        while (!more) {
            List<ResourceRecord> batch = store.list(kind, after, batchSize);
            for (ResourceRecord record : batch) {
                if (!record.name().startsWith(prefix)) {
                    continue;
                }
                if (matched.size() == maxResults) {
                    more = true;
                    break;
                }
                matched.add(record);
            }
            if (batch.size() < batchSize) {
                break;
            }
            after = batch.get(batch.size() - 1).name();
        }
        List<T> items = matched.stream().map(record -> Json.read(record.document(), type)).toList();
        return new Page<>(items, more ? encodeToken(matched.get(matched.size() - 1).name()) : null);
    }

    private static String encodeToken(String name) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("after:" + name).getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeToken(String token) {
        if (token == null) {
            return null;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (decoded.startsWith("after:")) {
                return decoded.substring("after:".length());
            }
        } catch (IllegalArgumentException ignored) {
            // falls through to the validation error
        }
        throw Errors.invalidField("nextToken", "is not a token returned by this list operation; omit it to start from the beginning");
    }

    private static String article(String noun) {
        return "aeiouAEIOU".indexOf(noun.charAt(0)) >= 0 ? "An" : "A";
    }
}
