package io.keygate.server.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An HTTP request as the adapters see it: raw path and query (as signed), headers with lower-case
 * names, the whole body, the path parameters the route matched, and a request id for logs and the
 * {@code x-amzn-RequestId} header.
 */
public record ApiRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
                         byte[] body, Map<String, String> pathParameters, String requestId) {
    public ApiRequest {
        Objects.requireNonNull(method, "method must not be null");
        Objects.requireNonNull(rawPath, "rawPath must not be null");
        headers = Map.copyOf(headers);
        pathParameters = Map.copyOf(pathParameters);
    }

    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public String pathParameter(String name) {
        return pathParameters.get(name);
    }

    public ApiRequest withPathParameters(Map<String, String> parameters) {
        return new ApiRequest(method, rawPath, rawQuery, headers, body, parameters, requestId);
    }
}
