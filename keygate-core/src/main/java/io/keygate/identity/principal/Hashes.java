package io.keygate.identity.principal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * SHA-256 fingerprints for lookups and artifact binding (so no bearer value is stored or compared in
 * clear), and the random handles Keygate hands out (≥ 128 bits from SecureRandom, security.md SC-3).
 */
public final class Hashes {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Copied for each use: a copy costs less than {@code getInstance}'s provider look-up (each JWT check hashes). */
    private static final MessageDigest SHA_256 = sha256Prototype();

    private Hashes() {
    }

    /** base64url(SHA-256(value)) without padding. */
    public static String sha256(String value) {
        MessageDigest sha256;
        try {
            sha256 = (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException notCloneable) {
            sha256 = sha256Prototype();
        }
        byte[] digest = sha256.digest(value.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    private static MessageDigest sha256Prototype() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Constant-time comparison of two fingerprints. */
    public static boolean same(String left, String right) {
        return left != null && right != null && MessageDigest.isEqual(left.getBytes(StandardCharsets.US_ASCII),
                right.getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code bytes} random bytes, base64url without padding. */
    public static String random(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }
}
