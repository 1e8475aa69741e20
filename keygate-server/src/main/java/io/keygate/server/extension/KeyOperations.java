package io.keygate.server.extension;

import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.util.Objects;

/** {@code GET /keygate/v1/keys} and {@code POST /keygate/v1/keys/rotate}. */
public final class KeyOperations {
    private KeyOperations() {
    }

    /** No input. */
    public record Empty() {
    }

    /** {@code GET /keygate/v1/keys}: the keyring status. */
    public static final class GetKeyringStatusOperation implements Operation<Empty, KeyringStatus> {
        private final KeyRotation rotation;

        public GetKeyringStatusOperation(KeyRotation rotation) {
            this.rotation = Objects.requireNonNull(rotation, "rotation must not be null");
        }

        @Override
        public Class<Empty> inputType() {
            return Empty.class;
        }

        @Override
        public KeyringStatus execute(Empty input, Caller caller) {
            return rotation.status();
        }
    }

    /** {@code POST /keygate/v1/keys/rotate}: new primary key, background re-encryption. */
    public static final class RotateKeysOperation implements Operation<Empty, KeyringStatus> {
        private final KeyRotation rotation;

        public RotateKeysOperation(KeyRotation rotation) {
            this.rotation = Objects.requireNonNull(rotation, "rotation must not be null");
        }

        @Override
        public Class<Empty> inputType() {
            return Empty.class;
        }

        @Override
        public KeyringStatus execute(Empty input, Caller caller) {
            rotation.rotate();
            return rotation.status();
        }
    }
}
