package io.keygate.oauth;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPRequestSender;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPRequest;
import com.nimbusds.oauth2.sdk.http.ReadOnlyHTTPResponse;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends Nimbus token requests with {@link HttpClient} instead of Nimbus' {@code HttpURLConnection}, for
 * three reasons: {@code HttpURLConnection} may silently resend a POST on a stale kept-alive connection
 * ({@code sun.net.http.retryPost}), which would spend a refresh token twice; {@link HttpClient} tells a
 * connect failure ({@link java.net.http.HttpConnectTimeoutException}, {@link java.net.ConnectException})
 * apart from a failure after sending, which {@link OAuthClient} needs for
 * {@link TransientTokenException#outcomeUnknown()}; and the whole answer, body included, can be bounded
 * in time and size. Redirects are never followed.
 */
final class TokenHttpSender implements HTTPRequestSender {
    static final int MAX_RESPONSE_BYTES = 1 << 20;

    private final Duration timeout;
    private final HttpClient client;

    TokenHttpSender(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout must not be null");
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
    }

    /**
     * @throws java.net.http.HttpConnectTimeoutException, java.net.ConnectException and similar when nothing was sent
     * @throws HttpTimeoutException when no complete answer arrived in time after sending
     * @throws IOException          for other failures, including an answer over {@value #MAX_RESPONSE_BYTES} bytes
     */
    @Override
    public ReadOnlyHTTPResponse send(ReadOnlyHTTPRequest request) throws IOException {
        if (request.getMethod() != HTTPRequest.Method.POST) {
            throw new IllegalArgumentException("token requests are POSTs, got " + request.getMethod());
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.getURI())
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofString(request.getBody() == null ? "" : request.getBody()));
        request.getHeaderMap().forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
        HttpResponse<String> answer = await(client.sendAsync(builder.build(), info -> new LimitedBody()));
        HTTPResponse response = new HTTPResponse(answer.statusCode());
        answer.headers().map().forEach((name, values) -> response.setHeader(name, values.toArray(String[]::new)));
        response.setBody(answer.body());
        return response;
    }

    private HttpResponse<String> await(CompletableFuture<HttpResponse<String>> future) throws IOException {
        try {
            // The request timeout stops at the response headers; this bounds connect, headers and body together.
            return future.get(timeout.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("token request failed", e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new HttpTimeoutException("answer not complete within " + timeout.multipliedBy(2));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the token endpoint");
        }
    }

    /** Collects the body as UTF-8 and fails once it exceeds {@value #MAX_RESPONSE_BYTES} bytes. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<String> {
        private final HttpResponse.BodySubscriber<String> delegate =
                HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);
        private Flow.Subscription subscription;
        private long received;
        private boolean failed;

        @Override
        public CompletionStage<String> getBody() {
            return delegate.getBody();
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            delegate.onSubscribe(subscription);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            if (failed) {
                return;
            }
            received += item.stream().mapToLong(ByteBuffer::remaining).sum();
            if (received > MAX_RESPONSE_BYTES) {
                failed = true;
                subscription.cancel();
                delegate.onError(new IOException("answer larger than " + MAX_RESPONSE_BYTES + " bytes"));
                return;
            }
            delegate.onNext(item);
        }

        @Override
        public void onError(Throwable throwable) {
            if (!failed) {
                delegate.onError(throwable);
            }
        }

        @Override
        public void onComplete() {
            if (!failed) {
                delegate.onComplete();
            }
        }
    }
}
