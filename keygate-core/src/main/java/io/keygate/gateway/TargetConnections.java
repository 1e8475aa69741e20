package io.keygate.gateway;

import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.CloseableHttpResponse;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.routing.RoutingSupport;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The HTTP/1.1 connections Keygate calls MCP targets over: one pool for all targets, each exchange blocking
 * on the calling thread (Apache HttpClient 5, classic). On a virtual thread a blocking exchange costs one
 * park while the target answers; the JDK's asynchronous client handed every request and every answer
 * between the caller and its selector thread, and that took about a quarter of Keygate's CPU per gateway
 * call (bench/README.md, "Where Keygate's time goes").
 *
 * <p>Each exchange stays within the target's {@link TargetLimits}: one alarm per exchange aborts it when the
 * timeout passes (connection, request and the whole answer), and at most the size limit of the answer is
 * read; a longer answer is cut off and its connection closed. Connections carry no credential (headers are
 * per request), so sharing them between targets and users is safe. Redirects are never followed (the URL
 * guard checked this endpoint only), nothing is retried (a tool call may have had effects), no cookies are
 * kept and bodies are passed on as sent (no decompression that could outgrow the size limit).
 *
 * @see <a href="https://hc.apache.org/httpcomponents-client-5.6.x/">Apache HttpClient 5</a>
 */
final class TargetConnections {
    private static final PoolingHttpClientConnectionManager CONNECTIONS = PoolingHttpClientConnectionManagerBuilder.create()
            .setTlsSocketStrategy(ClientTlsStrategyBuilder.create().setSslContext(defaultTls()).buildClassic())
            .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
            .setMaxConnPerRoute(TargetLimits.MAX_CONCURRENT_CALLS)
            .setMaxConnTotal(10 * TargetLimits.MAX_CONCURRENT_CALLS)
            .setDefaultConnectionConfig(ConnectionConfig.custom()
                    // the alarm bounds every exchange; a read timeout on top would cost a timer per read
                    .setConnectTimeout(Timeout.ofSeconds(TargetLimits.MAX_TIMEOUT_SECONDS))
                    .setSocketTimeout(Timeout.DISABLED)
                    .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                    .build())
            .build();
    /**
     * HttpClient's minimal client: it follows no redirect, retries nothing, keeps no cookie, authenticates and
     * decompresses nothing, which is all a target call may do, and so skips the chain of handlers that the full
     * client runs for those on every request (its protocol handler alone parsed every request's URI again).
     */
    private static final CloseableHttpClient CLIENT = HttpClients.createMinimal(CONNECTIONS);
    private static final RequestConfig REQUEST_CONFIG = RequestConfig.custom()
            .setConnectionRequestTimeout(Timeout.ofSeconds(TargetLimits.MAX_TIMEOUT_SECONDS))
            .build();
    private static final ScheduledThreadPoolExecutor ALARMS = daemon(new ScheduledThreadPoolExecutor(1), "keygate-target-deadlines");
    /** Runs exchanges nobody waits for; when more than its queue wait, the newest are dropped (best effort). */
    private static final ThreadPoolExecutor UNAWAITED = daemon(new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(10_000), new ThreadPoolExecutor.DiscardPolicy()), "keygate-target-unawaited");

    static {
        ALARMS.setRemoveOnCancelPolicy(true); // answered exchanges leave nothing behind
        ALARMS.scheduleWithFixedDelay(() -> {
            CONNECTIONS.closeExpired();
            CONNECTIONS.closeIdle(TimeValue.ofMinutes(1));
        }, 1, 1, TimeUnit.MINUTES);
        UNAWAITED.allowCoreThreadTimeOut(true);
    }

    private TargetConnections() {
    }

    /**
     * One exchange within the limits.
     *
     * @param body  JSON to send, or null for none
     * @param shown how the request is named in messages (the URL without its query)
     * @return the answer; its body is null when it was longer than the size limit
     * @throws TargetCallException  no answer within the timeout
     * @throws ToolListingException no connection, or the exchange failed otherwise
     */
    static Answer exchange(String method, URI uri, Map<String, String> headers, byte[] body, String shown,
                           TargetLimits limits) {
        HttpUriRequestBase request = new HttpUriRequestBase(method, uri);
        request.setConfig(REQUEST_CONFIG);
        request.setHeader(HttpHeaders.USER_AGENT, "Keygate");
        headers.forEach(request::setHeader);
        if (body != null) {
            request.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        }
        AtomicBoolean expired = new AtomicBoolean(); // set before the abort, which the blocked read sees at once
        ScheduledFuture<?> alarm = ALARMS.schedule(() -> {
            expired.set(true);
            request.cancel();
        }, limits.timeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            CloseableHttpResponse response = CloseableHttpResponse.adapt(
                    CLIENT.executeOpen(RoutingSupport.determineHost(request), request, null));
            return answer(request, response, limits.maxResponseBytes());
        } catch (IOException | HttpException failed) {
            if (expired.get()) {
                throw TargetHttp.timeout(shown, limits, failed);
            }
            throw new ToolListingException("the call to " + shown + " failed: " + TargetHttp.describe(failed, uri), failed);
        } finally {
            alarm.cancel(false);
        }
    }

    /** The answer with its body read within the limit; only a connection whose answer was read whole is reused. */
    private static Answer answer(HttpUriRequestBase request, CloseableHttpResponse response, int limit) throws IOException {
        try {
            HttpEntity entity = response.getEntity();
            // reading to the end hands the connection back to the pool
            byte[] bytes = entity == null ? new byte[0] : readAtMost(entity.getContent(), limit + 1, entity.getContentLength());
            if (bytes.length <= limit) {
                response.close();
                return new Answer(response.getCode(), response.getHeaders(), bytes);
            }
            // aborted before anything closes the body: closing it would read the rest, to keep the connection
            request.cancel();
            response.close(CloseMode.IMMEDIATE);
            return new Answer(response.getCode(), response.getHeaders(), null);
        } catch (IOException failed) {
            response.close(CloseMode.IMMEDIATE); // failed in the middle of the answer: never reused
            throw failed;
        }
    }

    /**
     * At most {@code max} bytes of {@code in}, in an array sized to the declared length or grown as the bytes
     * come: {@code readNBytes} starts with 16 KiB, which was a third of all a gateway call allocated.
     */
    static byte[] readAtMost(InputStream in, int max, long declared) throws IOException {
        byte[] buffer = new byte[declared >= 0 && declared < max ? (int) declared : Math.min(max, 1024)];
        int length = 0;
        while (true) {
            if (length == buffer.length) {
                if (length == max) {
                    return buffer;
                }
                int next = in.read(); // full: one more byte says whether to grow (a declared length can be wrong)
                if (next < 0) {
                    return buffer;
                }
                buffer = Arrays.copyOf(buffer, (int) Math.min(max, Math.max(1024, 2L * length)));
                buffer[length++] = (byte) next;
                continue;
            }
            int read = in.read(buffer, length, buffer.length - length);
            if (read < 0) {
                return Arrays.copyOf(buffer, length);
            }
            length += read;
        }
    }

    /** Starts the exchange on another thread and returns; its answer and any failure are ignored. */
    static void exchangeUnawaited(String method, URI uri, Map<String, String> headers, String shown, TargetLimits limits) {
        UNAWAITED.execute(() -> {
            try {
                exchange(method, uri, headers, null, shown, limits);
            } catch (RuntimeException ignored) {
                // best effort: the target forgets the session on its own when it expires
            }
        });
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault(); // the JVM's trust store, as every other outbound call of Keygate
        } catch (NoSuchAlgorithmException unavailable) {
            throw new IllegalStateException("the JVM has no default TLS context", unavailable);
        }
    }

    private static <E extends ThreadPoolExecutor> E daemon(E executor, String name) {
        executor.setThreadFactory(task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        });
        return executor;
    }

    /** A target's answer: status, headers and the body read within the size limit (null when it was longer). */
    record Answer(int status, Header[] headers, byte[] body) {
        /** The first value of the header (names compared ignoring case), or null. */
        String header(String name) {
            for (Header header : headers) {
                if (header.getName().equalsIgnoreCase(name)) {
                    return header.getValue();
                }
            }
            return null;
        }
    }
}
