package io.keygate.store;

import java.util.Objects;

/**
 * One write of an atomic {@link ResourceStore#commit} batch.
 */
public sealed interface ResourceWrite {

    ResourceRecord record();

    /** Insert a new record at version 1; fails the batch when kind+name exists. */
    record Insert(ResourceRecord record) implements ResourceWrite {
        public Insert {
            Objects.requireNonNull(record, "record must not be null");
        }
    }

    /** Replace a record whose stored version is still {@code record.version()}; fails the batch otherwise. */
    record Update(ResourceRecord record) implements ResourceWrite {
        public Update {
            Objects.requireNonNull(record, "record must not be null");
        }
    }
}
