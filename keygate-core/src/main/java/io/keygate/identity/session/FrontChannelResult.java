package io.keygate.identity.session;

/**
 * What the browser gets from the authorize or callback endpoint: a redirect, or a page that says
 * what happened and what to do.
 */
public sealed interface FrontChannelResult permits FrontChannelResult.Redirect, FrontChannelResult.Page {

    /** 302 to {@code location}. */
    record Redirect(String location) implements FrontChannelResult {
    }

    /** An HTML page with an HTTP status, a title and a plain-text explanation. */
    record Page(int status, String title, String message) implements FrontChannelResult {
    }
}
