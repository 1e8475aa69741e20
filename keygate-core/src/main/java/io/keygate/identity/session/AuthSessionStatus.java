package io.keygate.identity.session;

/**
 * Where a 3LO consent session stands. AWS reports only {@code IN_PROGRESS} and {@code FAILED};
 * Keygate keeps the finer states for the inspector and for completion's reason codes.
 */
public enum AuthSessionStatus {
    /** Created by GetResourceOauth2Token; the authorization URL has not been opened. */
    CREATED,
    /** The user opened the authorization URL and was sent to the IdP. */
    AUTHORIZATION_OPENED,
    /** The IdP's callback arrived; the code is being exchanged (exactly once, CF-7). */
    EXCHANGING,
    /** The code was exchanged; tokens are held sealed in the session until binding. */
    TOKENS_HELD,
    /** CompleteResourceTokenAuth bound the tokens to the user; they are in the vault. */
    COMPLETED,
    /** The IdP refused, the exchange failed, or the consent belonged to another user. */
    FAILED;

    public boolean isFinal() {
        return this == COMPLETED || this == FAILED;
    }
}
