package io.keygate.store;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Who wants to hear that a resource was written through this node: caches of resources register here
 * and forget what a local insert, update, reseal or delete changed. Writes on other nodes are not
 * heard; those caches keep entries only a few seconds for that reason.
 */
public final class ResourceChanges {
    private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();

    /** {@code listener} receives the name of every record of {@code kind} written through this node. */
    public void onChange(String kind, Consumer<String> listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        listeners.computeIfAbsent(Objects.requireNonNull(kind, "kind must not be null"),
                unused -> new CopyOnWriteArrayList<>()).add(listener);
    }

    void changed(String kind, String name) {
        for (Consumer<String> listener : listeners.getOrDefault(kind, List.of())) {
            listener.accept(name);
        }
    }
}
