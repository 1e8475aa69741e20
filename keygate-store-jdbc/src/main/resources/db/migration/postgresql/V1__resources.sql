-- Resources: credential providers, workload identities, access keys, the keyring, vault settings.
-- document holds the non-secret fields as JSON; sealed holds at most one AEAD-sealed secret whose
-- associated data is the row identity (kind, name); key_id names the keyring key that wraps it.
-- Times are epoch nanoseconds.
CREATE TABLE resource (
    kind         VARCHAR(64)   NOT NULL,
    name         VARCHAR(1024) NOT NULL,
    document     TEXT          NOT NULL,
    sealed       BYTEA,
    key_id       INTEGER,
    version      BIGINT        NOT NULL,
    created_time BIGINT        NOT NULL,
    updated_time BIGINT        NOT NULL,
    PRIMARY KEY (kind, name)
);
CREATE INDEX resource_key_id ON resource (key_id) WHERE key_id IS NOT NULL;
