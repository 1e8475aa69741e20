package io.keygate.server.http;

import io.keygate.cache.PerSecondFormat;
import io.keygate.error.Errors;
import io.keygate.server.api.ApiJson;
import io.keygate.server.api.error.AwsErrorMapper;
import io.keygate.server.api.error.AwsErrorType;
import io.keygate.server.api.error.AwsProtocolException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpField;

import java.io.IOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The single servlet: reads the request, finds its route, runs it, and writes either the answer or
 * the AWS-shaped error. Every response carries {@code x-amzn-RequestId}.
 */
public final class KeygateServlet extends HttpServlet {
    static final int MAX_BODY_BYTES = 1 << 20;
    private final transient Router<RouteHandler> router;
    private final transient MeterRegistry meters;
    private final transient Clock clock;
    /** The Date header, formatted once per second of Keygate's clock. */
    private final transient PerSecondFormat dates =
            new PerSecondFormat(DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC));

    public KeygateServlet(Router<RouteHandler> router, MeterRegistry meters, Clock clock) {
        this.router = Objects.requireNonNull(router, "router must not be null");
        this.meters = Objects.requireNonNull(meters, "meters must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    @Override
    protected void service(HttpServletRequest servletRequest, HttpServletResponse servletResponse) throws IOException {
        String requestId = requestId();
        Timer.Sample sample = Timer.start(meters);
        String method = servletRequest.getMethod();
        String rawPath = servletRequest.getRequestURI();
        Optional<Router.Match<RouteHandler>> match = router.match(method, rawPath);
        ApiResponse response;
        try {
            boolean answersOversized = match.isPresent() && match.get().target() instanceof OversizedBodyHandler;
            ApiRequest request = read(servletRequest, requestId, answersOversized);
            response = match.orElseThrow(() -> unknownRoute(method, rawPath)).target()
                    .handle(request.withPathParameters(match.get().pathParameters()));
        } catch (Exception failure) {
            AwsErrorMapper.AwsError error = AwsErrorMapper.map(failure, requestId);
            response = new ApiResponse(error.status(), "application/json",
                    Map.of("x-amzn-ErrorType", error.type().name()), ApiJson.write(error.body()));
        }
        // the Date header carries Keygate's clock: AWS SDKs correct their clock skew from it after a
        // "Signature expired" answer, as they do against AWS
        servletResponse.setHeader("Date", dates.format(clock.instant()));
        write(servletResponse, response, requestId);
        sample.stop(meters.timer("keygate.http.requests", "method", method,
                "status", Integer.toString(response.status()), "route", match.isPresent() ? routeLabel(rawPath) : "unmatched"));
    }

    /**
     * A version 4 UUID like AWS request ids, from a non-cryptographic generator: the id only correlates an
     * answer with the log, so it need not be unpredictable, and SecureRandom per request costs more.
     */
    private static String requestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new UUID(random.nextLong() & ~0xF000L | 0x4000L, random.nextLong() & ~(0x3L << 62) | (0x2L << 62)).toString();
    }

    private static String routeLabel(String rawPath) {
        // identity operations are one path each; RESTful paths are cut before their first identifier
        String[] segments = rawPath.split("/");
        return segments.length > 2 ? "/" + segments[1] + "/" + segments[2] : rawPath;
    }

    private RuntimeException unknownRoute(String method, String rawPath) {
        if (router.pathExists(rawPath)) {
            return new AwsProtocolException(AwsErrorType.UnknownOperationException,
                    "Method " + method + " is not served at " + rawPath);
        }
        return new AwsProtocolException(AwsErrorType.UnknownOperationException,
                "No Keygate operation at " + method + " " + rawPath + "; check the endpoint URL and the operation path");
    }

    private static ApiRequest read(HttpServletRequest request, String requestId, boolean answersOversized)
            throws IOException {
        // Jetty's own fields: the servlet API's name set and per-name enumerations cost more than the request's parse
        Map<String, List<String>> headers = new HashMap<>();
        for (HttpField field : ServletContextRequest.getServletContextRequest(request).getHeaders()) {
            headers.computeIfAbsent(field.getLowerCaseName(), name -> new ArrayList<>(1)).add(field.getValue());
        }
        byte[] body;
        long declared = request.getContentLengthLong();
        try (InputStream in = request.getInputStream()) {
            // with a Content-Length in bounds, exactly that many bytes: no further read that only finds the end
            body = in.readNBytes(declared >= 0 && declared <= MAX_BODY_BYTES ? (int) declared : MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES && !answersOversized) {
            throw Errors.invalidField("body", "the request body exceeds 1 MiB; send a smaller request");
        }
        return new ApiRequest(request.getMethod(), request.getRequestURI(), request.getQueryString(), headers, body,
                Map.of(), requestId);
    }

    private static void write(HttpServletResponse servletResponse, ApiResponse response, String requestId)
            throws IOException {
        servletResponse.setStatus(response.status());
        servletResponse.setHeader("x-amzn-RequestId", requestId);
        response.headers().forEach(servletResponse::setHeader);
        if (response.contentType() != null) {
            servletResponse.setContentType(response.contentType());
        }
        if (response.stream() != null) {
            servletResponse.flushBuffer();
            response.stream().write(servletResponse.getOutputStream());
        } else if (response.body().length > 0) {
            servletResponse.setContentLength(response.body().length);
            servletResponse.getOutputStream().write(response.body());
        }
    }
}
