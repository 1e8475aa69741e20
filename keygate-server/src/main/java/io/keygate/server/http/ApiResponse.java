package io.keygate.server.http;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What an adapter answers: status, content type, extra headers and body. */
public record ApiResponse(int status, String contentType, Map<String, String> headers, byte[] body) {
    public ApiResponse {
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public static ApiResponse json(int status, byte[] body) {
        return new ApiResponse(status, "application/json", Map.of(), body);
    }

    public static ApiResponse text(int status, String contentType, String body) {
        return new ApiResponse(status, contentType, Map.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    public static ApiResponse empty(int status) {
        return new ApiResponse(status, null, Map.of(), new byte[0]);
    }
}
