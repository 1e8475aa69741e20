package io.keygate.gateway;

import java.security.SecureRandom;
import java.util.Locale;

/** Generates gateway and target ids in the AWS forms, from a cryptographic random source. */
final class GatewayIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String LOWER = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static final String UPPER = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private GatewayIds() {
    }

    /** {@code {lowercased name}-{10 of [0-9a-z]}}, matching {@code ([0-9a-z][-]?){1,100}-[0-9a-z]{10}}. */
    static String gatewayId(String name) {
        return name.toLowerCase(Locale.ROOT) + "-" + random(LOWER);
    }

    /** Ten of {@code [0-9A-Z]}. */
    static String targetId() {
        return random(UPPER);
    }

    /** Ten of {@code [0-9a-z]}. */
    static String lowerRandom() {
        return random(LOWER);
    }

    private static String random(String alphabet) {
        StringBuilder id = new StringBuilder(10);
        for (int i = 0; i < 10; i++) {
            id.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return id.toString();
    }
}
