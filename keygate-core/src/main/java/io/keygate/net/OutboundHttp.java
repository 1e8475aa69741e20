package io.keygate.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * The HTTP client for fetching documents from URLs administrators configure (discovery, JWKS): every
 * URL passes {@link OutboundUrlGuard} first, redirects are not followed, time and size are bounded.
 */
public final class OutboundHttp {
    private static final int MAX_BYTES = 1 << 20;
    private final OutboundUrlGuard guard;
    private final HttpClient client;

    public OutboundHttp(OutboundUrlGuard guard) {
        this.guard = Objects.requireNonNull(guard, "guard must not be null");
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    public OutboundUrlGuard guard() {
        return guard;
    }

    /**
     * GETs a JSON document.
     *
     * @throws OutboundUrlException when the URL is refused, unreachable, not 200, or too large; the
     *                              message completes "the URL …"
     */
    public String getJson(URI url) {
        guard.check(url);
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json").GET().build();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new OutboundUrlException("answered HTTP " + response.statusCode() + " instead of 200"
                            + (response.statusCode() / 100 == 3 ? " (redirects are not followed: give the final URL)" : ""));
                }
                byte[] bytes = body.readNBytes(MAX_BYTES + 1);
                if (bytes.length > MAX_BYTES) {
                    throw new OutboundUrlException("returned more than 1 MiB");
                }
                return new String(bytes, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new OutboundUrlException("could not be fetched: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OutboundUrlException("could not be fetched: interrupted");
        }
    }
}
