package io.keygate.identity.session;

import java.time.Instant;

/**
 * One step of a session's life, for the inspector: never a token, code, state or verifier.
 *
 * @param event  e.g. {@code created}, {@code authorize-opened}, {@code callback-received},
 *               {@code code-exchanged}, {@code completion-attempt}, {@code completed}
 * @param detail a reason code or short explanation, or null
 */
public record TimelineEvent(Instant at, String event, String detail) {
}
