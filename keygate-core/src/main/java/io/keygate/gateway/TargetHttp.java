package io.keygate.gateway;

import io.keygate.net.OutboundUrlException;
import io.keygate.net.OutboundUrlGuard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP exchange with a target within its {@link TargetLimits} over the JDK {@code HttpClient}: the
 * whole exchange, connection to last byte, is bounded by the timeout, and at most the size limit of the
 * body is read (a longer body completes as null); used by the OpenAPI and Lambda callers (MCP targets go
 * through {@link TargetConnections}). Also the URL policy check and the few-words failure texts that all
 * target calls share.
 */
final class TargetHttp {
    private TargetHttp() {
    }

    /**
     * @param shown how the request is named in messages (method and URL without its query)
     * @throws TargetCallException  no answer within the timeout
     * @throws ToolListingException no connection, or the exchange failed otherwise
     */
    static HttpResponse<byte[]> send(HttpClient client, HttpRequest request, String shown, TargetLimits limits) {
        CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(request,
                info -> new LimitedBodySubscriber(limits.maxResponseBytes()));
        try {
            return exchange.get(limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException slow) {
            exchange.cancel(true);
            throw timeout(shown, limits, slow);
        } catch (InterruptedException interrupted) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new ToolListingException("the call to " + shown + " was interrupted", interrupted);
        } catch (ExecutionException failed) {
            if (failed.getCause() instanceof HttpTimeoutException slow) {
                throw timeout(shown, limits, slow);
            }
            throw new ToolListingException("the call to " + shown + " failed: " + describe(failed.getCause(), request.uri()),
                    failed);
        }
    }

    static TargetCallException tooLarge(String shown, int status, TargetLimits limits) {
        return new TargetCallException(TargetCallException.Reason.TARGET_RESPONSE_TOO_LARGE, shown + " answered HTTP "
                + status + " with more than " + limits.shownMaxResponse() + ", the most Keygate reads of its answers",
                null);
    }

    /** No answer from {@code shown} within the target's timeout. */
    static TargetCallException timeout(String shown, TargetLimits limits, Throwable cause) {
        return new TargetCallException(TargetCallException.Reason.TARGET_TIMEOUT,
                shown + " gave no answer within " + limits.shownTimeout(), cause);
    }

    /**
     * Checks the URL against the outbound policy before any connection (security.md GW-8).
     *
     * @throws ToolListingException naming the request and why the policy refuses it
     */
    static void allow(OutboundUrlGuard guard, URI uri, String shown) {
        try {
            guard.check(uri);
        } catch (OutboundUrlException refused) {
            throw new ToolListingException("Keygate does not contact " + shown + ": the URL " + refused.getMessage(), refused);
        }
    }

    /** The root cause in a few words, the URL's query (which may hold the credential) removed. */
    static String describe(Throwable failure, URI uri) {
        Throwable root = root(failure);
        if (root instanceof java.net.ConnectException || root instanceof java.nio.channels.ClosedChannelException) {
            return "the connection was refused or closed; check that the target runs at this address";
        }
        return shortened(firstLine(root), uri);
    }

    /** The URL without its query, which may hold the credential: how messages name a target. */
    static String withoutQuery(URI uri) {
        String text = uri.toString();
        int query = text.indexOf('?');
        return query < 0 ? text : text.substring(0, query);
    }

    static Throwable root(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /** The exception's class and the first line of its message. */
    static String firstLine(Throwable failure) {
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? ""
                : ": " + failure.getMessage().lines().findFirst().orElse(""));
    }

    /** {@code text} without the URL's query (which may hold the credential), at most 300 characters. */
    static String shortened(String text, URI uri) {
        String safe = uri.getRawQuery() == null ? text : text.replace(uri.getRawQuery(), "…");
        return safe.length() > 300 ? safe.substring(0, 300) + "…" : safe;
    }
}
