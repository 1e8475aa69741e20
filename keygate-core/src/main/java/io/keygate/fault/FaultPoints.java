package io.keygate.fault;

/**
 * Named points on the paths where a crash would hurt most, so the crash tests can stop a node exactly
 * there and kill it (security.md Part 4, F8 and F9). A node gets its fault points only from the
 * composition root; every production start uses {@link #NONE}, which does nothing, and there is no
 * setting or environment variable that turns them on.
 */
@FunctionalInterface
public interface FaultPoints {
    /** The browser's authorization redirect is recorded and about to be sent (F9a). */
    String AUTHORIZE_REDIRECT = "authorize-redirect";
    /** The IdP redeemed the code and answered with tokens; nothing is stored yet (F8, F9b). */
    String CODE_EXCHANGED = "code-exchanged";
    /** The IdP answered a refresh (it may have rotated the refresh token); nothing is stored yet (F9c). */
    String REFRESH_ANSWERED = "refresh-answered";
    /** The key rotation sweep re-encrypted one more row (F9d). */
    String KEY_SWEEP_RESEALED = "key-sweep-resealed";

    /** Does nothing: what every node runs with. */
    FaultPoints NONE = point -> {
    };

    /** Called when the running code passes {@code point}. */
    void reached(String point);
}
