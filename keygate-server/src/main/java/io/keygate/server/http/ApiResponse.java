package io.keygate.server.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What an adapter answers: status, content type, extra headers and body — or, for server-sent
 * events, a {@code stream} that writes the body until it is done (the request's thread waits).
 */
public record ApiResponse(int status, String contentType, Map<String, String> headers, byte[] body, BodyStream stream) {
    public ApiResponse {
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public ApiResponse(int status, String contentType, Map<String, String> headers, byte[] body) {
        this(status, contentType, headers, body, null);
    }

    /** Writes a streamed body; returns when the stream ends or the client went away. */
    @FunctionalInterface
    public interface BodyStream {
        void write(OutputStream out) throws IOException;
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

    public static ApiResponse streaming(String contentType, Map<String, String> headers, BodyStream stream) {
        return new ApiResponse(200, contentType, headers, new byte[0], stream);
    }
}
