-- Resources: credential providers, workload identities, access keys, the keyring, vault settings.
-- document holds the non-secret fields as JSON; sealed holds at most one AEAD-sealed secret whose
-- associated data is the row identity (kind, name); key_id names the keyring key that wraps it.
-- Times are epoch nanoseconds.
CREATE TABLE resource (
    kind         TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    document     TEXT    NOT NULL,
    sealed       BLOB,
    key_id       INTEGER,
    version      INTEGER NOT NULL,
    created_time INTEGER NOT NULL,
    updated_time INTEGER NOT NULL,
    PRIMARY KEY (kind, name)
);
CREATE INDEX resource_key_id ON resource (key_id) WHERE key_id IS NOT NULL;
