package io.keygate.store;

import java.util.List;

/**
 * One page of a list operation, with the AWS-style opaque {@code nextToken} (null on the last page).
 */
public record Page<T>(List<T> items, String nextToken) {
    public Page {
        items = List.copyOf(items);
    }
}
