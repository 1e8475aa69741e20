package io.keygate.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keygate.json.Json;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportException;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The Streamable HTTP client transport Keygate gives the MCP Java SDK's client when it talks to a target:
 * the SDK keeps the protocol (initialize, request ids, results), this class moves the bytes, one POST per
 * message, blocking on the calling thread over the connections all targets share ({@link TargetConnections}).
 * The SDK's own transport turns every message into a reactive pipeline with three thread hops and its own
 * HTTP client per MCP client; this one, with {@link #request} for {@code tools/call}, halved Keygate's CPU
 * per gateway call (bench/README.md). Each exchange is bounded by the target's {@link TargetLimits} (whole
 * exchange within the timeout, at most the size limit read). An answer may be JSON or an event stream that
 * ends with the response; server-initiated messages on a separate GET stream are not listened to, because a
 * gateway offers its targets no client features (sampling, roots, elicitation) to ask for.
 *
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/basic/transports#streamable-http">Streamable HTTP</a>
 */
final class StreamableHttpTargetTransport implements McpClientTransport {
    private static final String JSON = "application/json";
    private static final String EVENT_STREAM = "text/event-stream";

    private final URI endpoint;
    private final String shown;
    private final Map<String, String> headers;
    private final TargetLimits limits;
    private final McpJsonMapper mapper;
    private volatile Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler;
    private final AtomicLong requestIds = new AtomicLong();
    private volatile String sessionId;
    private volatile PostHeaders postHeaders;

    StreamableHttpTargetTransport(URI endpoint, Map<String, String> headers, TargetLimits limits, McpJsonMapper mapper) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint must not be null");
        this.headers = Map.copyOf(headers);
        this.limits = Objects.requireNonNull(limits, "limits must not be null");
        this.mapper = Objects.requireNonNull(mapper, "mapper must not be null");
        this.shown = TargetHttp.withoutQuery(endpoint);
        this.postHeaders = new PostHeaders(null, null, postHeaders(null, null));
    }

    @Override
    public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
        this.handler = Objects.requireNonNull(handler, "handler must not be null");
        return Mono.empty();
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return Mono.deferContextual(context -> Mono.fromRunnable(() ->
                exchange(message, context.getOrDefault(McpAsyncClient.NEGOTIATED_PROTOCOL_VERSION, null))));
    }

    private void exchange(McpSchema.JSONRPCMessage message, String protocolVersion) {
        TargetConnections.Answer response = post(write(message), protocolVersion);
        if (response.status() != 202 && response.body().length > 0
                && !(message instanceof McpSchema.JSONRPCNotification)) {
            deliver(response);
        }
    }

    /**
     * Sends one JSON-RPC request in this transport's session, past the SDK client, and answers its result as
     * JSON: the gateway forwards {@code tools/call} this way, because the SDK client would turn the arguments
     * and the result into typed objects and back for nothing. Only for use after the SDK client's
     * {@code initialize}, with the protocol version it negotiated.
     *
     * @throws McpError when the target answers with a JSON-RPC error
     */
    JsonNode request(String method, JsonNode params, String protocolVersion) {
        String id = "keygate-" + requestIds.incrementAndGet();
        ObjectNode request = Json.MAPPER.createObjectNode().put("jsonrpc", "2.0").put("id", id).put("method", method);
        request.set("params", params);
        TargetConnections.Answer response;
        try {
            response = post(Json.MAPPER.writeValueAsBytes(request), protocolVersion);
        } catch (JsonProcessingException unwritable) {
            throw new McpTransportException("the MCP message could not be written as JSON", unwritable);
        }
        for (JsonNode answer : answers(response)) {
            if (!id.equals(answer.path("id").asText(null))) {
                continue; // a notification or a message of another request on the same stream
            }
            if (answer.has("error")) {
                JsonNode error = answer.get("error");
                throw new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(error.path("code").asInt(),
                        error.path("message").asText(""), null));
            }
            if (answer.path("result").isObject()) {
                return answer.get("result");
            }
        }
        throw new McpTransportException(shown + " answered without a result for the " + method + " request");
    }

    /** POSTs one message; a 2xx answer read within the limits, or the failure that explains it. */
    private TargetConnections.Answer post(byte[] body, String protocolVersion) {
        String sentSessionId = sessionId;
        PostHeaders post = postHeaders;
        if (!Objects.equals(post.sessionId(), sentSessionId) || !Objects.equals(post.protocolVersion(), protocolVersion)) {
            post = new PostHeaders(sentSessionId, protocolVersion, postHeaders(sentSessionId, protocolVersion));
            postHeaders = post;
        }
        TargetConnections.Answer response = TargetConnections.exchange("POST", endpoint, post.headers(), body, shown, limits);
        int status = response.status();
        if (response.body() == null) {
            throw TargetHttp.tooLarge(shown, status, limits);
        }
        if (status == 404 && sentSessionId != null) {
            throw new McpTransportSessionNotFoundException(shown + " no longer knows this MCP session");
        }
        if (status < 200 || status > 299) {
            throw new TargetStatusException(status, shown);
        }
        String newSessionId = response.header(HttpHeaders.MCP_SESSION_ID);
        if (newSessionId != null) {
            sessionId = newSessionId;
        }
        return response;
    }

    /** The headers of every POST in this session (the body's Content-Type comes with the body). */
    private Map<String, String> postHeaders(String sessionId, String protocolVersion) {
        Map<String, String> post = new LinkedHashMap<>(headers);
        post.put(HttpHeaders.ACCEPT, JSON + ", " + EVENT_STREAM);
        if (sessionId != null) {
            post.put(HttpHeaders.MCP_SESSION_ID, sessionId);
        }
        if (protocolVersion != null) {
            post.put(HttpHeaders.PROTOCOL_VERSION, protocolVersion);
        }
        return Collections.unmodifiableMap(post);
    }

    private record PostHeaders(String sessionId, String protocolVersion, Map<String, String> headers) {
    }

    /** The JSON-RPC messages of an answer: the one JSON document, or the data of each event of a stream. */
    private List<String> messages(TargetConnections.Answer response) {
        String text = new String(response.body(), StandardCharsets.UTF_8);
        return isEventStream(response) ? ServerSentEvents.data(text) : List.of(text);
    }

    /** {@link #messages} as JSON trees; a JSON answer is read from its bytes. */
    private List<JsonNode> answers(TargetConnections.Answer response) {
        if (!isEventStream(response)) {
            return List.of(read(response.body()));
        }
        return messages(response).stream().map(message -> read(message.getBytes(StandardCharsets.UTF_8))).toList();
    }

    private boolean isEventStream(TargetConnections.Answer response) {
        String type = Objects.requireNonNullElse(response.header(HttpHeaders.CONTENT_TYPE), "");
        if (type.startsWith(EVENT_STREAM)) {
            return true;
        }
        if (type.startsWith(JSON)) {
            return false;
        }
        throw new McpTransportException(shown + " answered with Content-Type '" + type
                + "'; an MCP server answers with application/json or text/event-stream");
    }

    private JsonNode read(byte[] message) {
        try {
            return Json.MAPPER.readTree(message);
        } catch (IOException unreadable) {
            throw new McpTransportException(shown + " answered with something that is not a JSON-RPC message", unreadable);
        }
    }

    private void deliver(TargetConnections.Answer response) {
        messages(response).forEach(this::deliver);
    }

    private void deliver(String json) {
        McpSchema.JSONRPCMessage received;
        try {
            received = McpSchema.deserializeJsonRpcMessage(mapper, json);
        } catch (IOException | IllegalArgumentException unreadable) {
            throw new McpTransportException(shown + " answered with something that is not a JSON-RPC message", unreadable);
        }
        handler.apply(Mono.just(received)).block();
    }

    private byte[] write(McpSchema.JSONRPCMessage message) {
        try {
            return mapper.writeValueAsBytes(message);
        } catch (IOException unwritable) {
            throw new McpTransportException("the MCP message could not be written as JSON", unwritable);
        }
    }

    /** Ends the MCP session at the target (best effort, not awaited): the spec's DELETE with the session id. */
    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(() -> {
            String ending = sessionId;
            sessionId = null;
            if (ending != null) {
                Map<String, String> delete = new LinkedHashMap<>(headers);
                delete.put(HttpHeaders.MCP_SESSION_ID, ending);
                TargetConnections.exchangeUnawaited("DELETE", endpoint, delete, shown, limits);
            }
        });
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return mapper.convertValue(data, typeRef);
    }

    /** A target's answer with a status other than 2xx; the message names the status and the URL without its query. */
    static final class TargetStatusException extends McpTransportException {
        private final int status;

        TargetStatusException(int status, String shown) {
            super("HTTP " + status + " from " + shown);
            this.status = status;
        }

        int status() {
            return status;
        }

        boolean refusedCredential() {
            return status == 401 || status == 403;
        }
    }
}
