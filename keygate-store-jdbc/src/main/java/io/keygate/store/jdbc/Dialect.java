package io.keygate.store.jdbc;

import java.util.Locale;

/** The SQL engines Keygate stores data in; each has its own migration folder. */
public enum Dialect {
    SQLITE("sqlite"), POSTGRESQL("postgresql");

    private final String migrationFolder;

    Dialect(String migrationFolder) {
        this.migrationFolder = migrationFolder;
    }

    public String migrationLocation() {
        return "classpath:db/migration/" + migrationFolder;
    }

    /**
     * @throws IllegalArgumentException naming the supported URL forms
     */
    public static Dialect of(String jdbcUrl) {
        String url = jdbcUrl.toLowerCase(Locale.ROOT);
        if (url.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("database URL must start with jdbc:sqlite: or jdbc:postgresql:, got "
                + jdbcUrl.replaceAll("//[^@/]*@", "//***@"));
    }
}
