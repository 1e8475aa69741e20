package io.keygate.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Closed-loop load: {@code clients} virtual users, each on its own thread, each an MCP client that
 * initializes once (keeping {@code Mcp-Session-Id} when the server gives one, then sending
 * {@code notifications/initialized}) and then sends {@code tools/call} after {@code tools/call}, the next
 * as soon as the previous answer is in. Calls started during the warm-up are not recorded; calls started
 * in the measurement window are timed (send to last byte of the answer) into an HdrHistogram.
 *
 * <p>A call counts as an error when the HTTP status is not 200, the answer is a JSON-RPC error, the
 * tool result has {@code isError}, its text is not the echo, or the request fails or times out.
 */
final class LoadGenerator {
    /** The protocol version the virtual users ask for. */
    static final String PROTOCOL_VERSION = "2025-11-25";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final long HIGHEST_MICROS = Duration.ofSeconds(60).toNanos() / 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where the calls go.
     *
     * @param name    "direct", "nginx" or "keygate"
     * @param url     the MCP endpoint
     * @param headers sent with every request (the API key for the target, the bearer JWT for Keygate)
     * @param tool    the tool name at this endpoint ({@code echo}, or {@code bench___echo} at the gateway)
     */
    record Endpoint(String name, String url, Map<String, String> headers, String tool) {
    }

    /** Something whose CPU time can be read (a process and its descendants). */
    interface CpuMeter {
        /** Total CPU time so far, in nanoseconds; -1 when unknown. */
        long cpuNanos();
    }

    /**
     * One measurement.
     *
     * @param calls    calls that succeeded in the window
     * @param errors   calls that failed in the window, plus virtual users that could not initialize
     * @param seconds  the window's length (its start to the last recorded answer)
     * @param latencies successful calls' latencies in microseconds
     * @param cpuNanos CPU time each metered process used during the window
     * @param firstError what the first failure was, or null
     */
    record Measurement(String path, int clients, long calls, long errors, double seconds, Histogram latencies,
                       Map<String, Long> cpuNanos, String firstError) {
        double throughput() {
            return seconds <= 0 ? 0 : calls / seconds;
        }

        double percentileMillis(double percentile) {
            return latencies.getTotalCount() == 0 ? Double.NaN : latencies.getValueAtPercentile(percentile) / 1000.0;
        }
    }

    private LoadGenerator() {
    }

    /**
     * Runs {@code clients} virtual users against {@code endpoint}: {@code warmup} unrecorded, then
     * {@code window} measured. Returns when every virtual user has stopped (each stops at the end of
     * the window, at most one request timeout later).
     */
    static Measurement run(Endpoint endpoint, int clients, Duration warmup, Duration window,
                           Map<String, CpuMeter> meters) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
        try {
            long start = System.nanoTime();
            long measureFrom = start + warmup.toNanos();
            long end = measureFrom + window.toNanos();
            List<VirtualUser> users = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                VirtualUser user = new VirtualUser(http, endpoint, measureFrom, end);
                users.add(user);
                Thread thread = new Thread(user, "vu-" + endpoint.name() + "-" + i);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
            sleepUntil(measureFrom);
            Map<String, Long> before = sample(meters);
            sleepUntil(end);
            Map<String, Long> after = sample(meters);
            long joinDeadline = end + REQUEST_TIMEOUT.toNanos() + Duration.ofSeconds(5).toNanos();
            for (Thread thread : threads) {
                thread.join(Math.max(1, (joinDeadline - System.nanoTime()) / 1_000_000));
            }
            return summarize(endpoint, clients, users, measureFrom, before, after);
        } finally {
            if (http instanceof AutoCloseable closeable) { // Java 21+: close the client's connections now
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
        }
    }

    private static Measurement summarize(Endpoint endpoint, int clients, List<VirtualUser> users, long measureFrom,
                                         Map<String, Long> before, Map<String, Long> after) {
        Histogram all = new Histogram(HIGHEST_MICROS, 3);
        long calls = 0;
        long errors = 0;
        long lastAnswer = measureFrom;
        String firstError = null;
        for (VirtualUser user : users) {
            synchronized (user) {
                all.add(user.latencies);
                calls += user.calls;
                errors += user.errors;
                lastAnswer = Math.max(lastAnswer, user.lastAnswer);
            }
            if (firstError == null) {
                firstError = user.firstError.get();
            }
        }
        Map<String, Long> cpu = new LinkedHashMap<>();
        before.forEach((name, value) -> {
            Long later = after.get(name);
            cpu.put(name, value < 0 || later == null || later < 0 ? -1 : later - value);
        });
        return new Measurement(endpoint.name(), clients, calls, errors, (lastAnswer - measureFrom) / 1e9, all, cpu,
                firstError);
    }

    private static Map<String, Long> sample(Map<String, CpuMeter> meters) {
        Map<String, Long> values = new LinkedHashMap<>();
        meters.forEach((name, meter) -> values.put(name, meter.cpuNanos()));
        return values;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long remaining;
        while ((remaining = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, Math.min(remaining / 1_000_000, 250)));
        }
    }

    /** One MCP client looping {@code tools/call}; its counters are read after its thread ends. */
    private static final class VirtualUser implements Runnable {
        private final HttpClient http;
        private final Endpoint endpoint;
        private final URI uri;
        private final long measureFrom;
        private final long end;
        private final Histogram latencies = new Histogram(HIGHEST_MICROS, 3);
        private final AtomicReference<String> firstError = new AtomicReference<>();
        private long calls;
        private long errors;
        private long lastAnswer;
        private String sessionId;
        private String protocolVersion = PROTOCOL_VERSION;

        VirtualUser(HttpClient http, Endpoint endpoint, long measureFrom, long end) {
            this.http = http;
            this.endpoint = endpoint;
            this.uri = URI.create(endpoint.url());
            this.measureFrom = measureFrom;
            this.end = end;
        }

        @Override
        public void run() {
            try {
                initialize();
            } catch (Exception failure) {
                fail("initialize failed: " + failure.getMessage());
                synchronized (this) {
                    errors++;
                }
                return;
            }
            String text = Thread.currentThread().getName();
            for (long id = 1; id < Long.MAX_VALUE; id++) {
                long sent = System.nanoTime();
                if (sent >= end) {
                    return;
                }
                String body = "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\""
                        + endpoint.tool() + "\",\"arguments\":{\"text\":\"" + text + "\"}}}";
                String problem;
                long answered;
                try {
                    HttpResponse<String> response = http.send(request(body), HttpResponse.BodyHandlers.ofString());
                    answered = System.nanoTime();
                    problem = check(response, id, "echo: " + text);
                } catch (IOException failure) {
                    answered = System.nanoTime();
                    problem = failure.getClass().getSimpleName() + ": " + failure.getMessage();
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (sent >= measureFrom) {
                    record(sent, answered, problem);
                }
            }
        }

        private synchronized void record(long sent, long answered, String problem) {
            lastAnswer = answered;
            if (problem == null) {
                calls++;
                latencies.recordValue(Math.min(HIGHEST_MICROS, Math.max(1, (answered - sent) / 1000)));
            } else {
                errors++;
                fail(problem);
            }
        }

        private void fail(String problem) {
            firstError.compareAndSet(null, problem.length() > 300 ? problem.substring(0, 300) + "..." : problem);
        }

        private void initialize() throws IOException, InterruptedException {
            String body = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\""
                    + PROTOCOL_VERSION + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"keygate-bench\",\"version\":\"1\"}}}";
            HttpResponse<String> response = http.send(request(body), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode() + " " + shorten(response.body()));
            }
            JsonNode answer = message(response, 0);
            if (answer == null || !answer.has("result")) {
                throw new IOException("no initialize result: " + shorten(response.body()));
            }
            protocolVersion = answer.path("result").path("protocolVersion").asText(PROTOCOL_VERSION);
            sessionId = response.headers().firstValue("Mcp-Session-Id").orElse(null);
            HttpResponse<String> initialized = http.send(request("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"),
                    HttpResponse.BodyHandlers.ofString());
            if (initialized.statusCode() != 202 && initialized.statusCode() != 200) {
                throw new IOException("notifications/initialized got HTTP " + initialized.statusCode());
            }
        }

        private HttpRequest request(String body) {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .header("MCP-Protocol-Version", protocolVersion)
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            if (sessionId != null) {
                request.header("Mcp-Session-Id", sessionId);
            }
            endpoint.headers().forEach(request::header);
            return request.build();
        }

        private static String check(HttpResponse<String> response, long id, String expected) {
            if (response.statusCode() != 200) {
                return "HTTP " + response.statusCode() + " " + shorten(response.body());
            }
            JsonNode answer = message(response, id);
            if (answer == null) {
                return "no JSON-RPC answer with id " + id + ": " + shorten(response.body());
            }
            if (answer.has("error")) {
                return "JSON-RPC error " + shorten(answer.get("error").toString());
            }
            JsonNode result = answer.path("result");
            if (result.path("isError").asBoolean(false)) {
                return "tool error " + shorten(result.toString());
            }
            if (!expected.equals(result.path("content").path(0).path("text").asText())) {
                return "unexpected result " + shorten(result.toString());
            }
            return null;
        }

        /** The JSON-RPC message with {@code id} from a JSON body or a server-sent event stream. */
        private static JsonNode message(HttpResponse<String> response, long id) {
            String type = response.headers().firstValue("Content-Type").orElse("");
            try {
                if (!type.startsWith("text/event-stream")) {
                    return JSON.readTree(response.body());
                }
                StringBuilder data = new StringBuilder();
                for (String line : response.body().split("\n", 10_000)) {
                    String trimmed = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
                    if (trimmed.startsWith("data:")) {
                        data.append(trimmed.substring(5).trim());
                    } else if (trimmed.isEmpty() && data.length() > 0) {
                        JsonNode event = JSON.readTree(data.toString());
                        if (event.path("id").asLong(-1) == id) {
                            return event;
                        }
                        data.setLength(0);
                    }
                }
                JsonNode last = data.length() > 0 ? JSON.readTree(data.toString()) : null;
                return last != null && last.path("id").asLong(-1) == id ? last : null;
            } catch (IOException unreadable) {
                return null;
            }
        }

        private static String shorten(String text) {
            String flat = text == null ? "" : text.replaceAll("\\s+", " ");
            return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
        }
    }
}
