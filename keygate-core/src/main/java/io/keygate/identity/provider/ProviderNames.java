package io.keygate.identity.provider;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Naming rules shared by the credential provider kinds. */
final class ProviderNames {
    static final Pattern NAME = Pattern.compile("[a-zA-Z0-9\\-_]+");
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ProviderNames() {
    }

    /** The six random characters Secrets Manager appends to a secret's name in its ARN. */
    static String secretSuffix() {
        StringBuilder suffix = new StringBuilder(6);
        for (int i = 0; i < 6; i++) {
            suffix.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return suffix.toString();
    }
}
