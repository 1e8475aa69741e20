package io.keygate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keygate.json.Json;
import io.keygate.net.OutboundUrlGuard;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Calls one tool of an OpenAPI target: finds the operation the tool was derived from, sends its HTTP
 * request to servers[0].url with the outbound credential, and answers an MCP {@code CallToolResult}:
 * the response body as text ({@code isError} for 3xx and above, since redirects are not followed), plus
 * {@code structuredContent} when the body is a JSON object. Arguments that do not fit and a status of
 * 400 or more are tool errors the model can see; 401 and 403, a body over the target's size limit and
 * no answer within its timeout are {@link TargetCallException}s. Path parameters are percent-encoded
 * one segment each (RFC 3986 §3.3, security.md B9); the final URL passes the {@link OutboundUrlGuard}
 * before any connection (GW-8); the whole exchange is bounded by the target's {@link TargetLimits}
 * (GW-7). Credential values are never put in a message, and are replaced by {@code [credential]} where
 * the target echoes them.
 *
 * @see <a href="https://spec.openapis.org/oas/v3.1.0">OpenAPI 3.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3986#section-3.3">RFC 3986 §3.3</a>
 * @see <a href="https://modelcontextprotocol.io/specification/2025-11-25/server/tools#tool-result">MCP tool result</a>
 */
public final class OpenApiCaller {
    private final OutboundUrlGuard guard;
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    public OpenApiCaller(OutboundUrlGuard guard) {
        this.guard = Objects.requireNonNull(guard, "guard must not be null");
    }

    /**
     * @param document         the target's OpenAPI 3 document (JSON or YAML), as stored in {@code inlinePayload}
     * @param toolName         the tool's name within the target (not {@code target___tool})
     * @param arguments        the call's arguments: parameters by name, the request body as {@code body}
     * @param headers          the outbound credential's headers
     * @param queryParameters  the outbound credential's query parameters
     * @param limits           the target's timeout and response size limit
     * @return the CallToolResult as JSON; argument problems and target errors have {@code isError: true}
     * @throws ToolListingException when Keygate cannot call the target at all: no such operation, a document it
     *                              cannot build a URL from, a URL the policy refuses, no connection
     * @throws TargetCallException  no answer in time, an answer over the size limit, or 401/403
     */
    public JsonNode call(String document, String toolName, JsonNode arguments, Map<String, String> headers,
                         Map<String, String> queryParameters, TargetLimits limits) {
        Objects.requireNonNull(document, "document must not be null");
        Objects.requireNonNull(toolName, "toolName must not be null");
        Objects.requireNonNull(headers, "headers must not be null");
        Objects.requireNonNull(queryParameters, "queryParameters must not be null");
        Objects.requireNonNull(limits, "limits must not be null");
        OpenApiRequest.Built built;
        try {
            OpenApiOperation operation = OpenApiTools.operation(document, toolName).orElseThrow(() ->
                    new ToolListingException("its OpenAPI document has no operation for the tool " + toolName
                            + "; synchronize or update the target", null));
            built = OpenApiRequest.build(operation, arguments, headers, queryParameters, limits.timeout());
        } catch (IllegalArgumentException unusable) {
            throw new ToolListingException("Keygate cannot call its OpenAPI operation: " + unusable.getMessage(), unusable);
        }
        if (built instanceof OpenApiRequest.Invalid invalid) {
            return result(invalid.message(), true, null);
        }
        HttpRequest request = ((OpenApiRequest.Ready) built).request();
        String shown = request.method() + " " + TargetHttp.withoutQuery(request.uri());
        TargetHttp.allow(guard, request.uri(), shown);
        return answer(TargetHttp.send(client, request, shown, limits), shown, limits, new Redaction(headers, queryParameters));
    }

    private static JsonNode answer(HttpResponse<byte[]> response, String shown, TargetLimits limits,
                                   Redaction redaction) {
        int status = response.statusCode();
        if (response.body() == null) {
            throw TargetHttp.tooLarge(shown, status, limits);
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        String body = redaction.apply(new String(response.body(), charset(contentType)));
        JsonNode structured = structured(contentType, body);
        if (status == 401 || status == 403) {
            throw new TargetCallException(TargetCallException.Reason.TARGET_REFUSED_CREDENTIAL, "HTTP " + status
                    + " from " + shown + ": " + (body.length() > 300 ? body.substring(0, 300) + "…" : body), null);
        }
        if (status >= 300 && status < 400) {
            String location = redaction.apply(response.headers().firstValue("Location").orElse("(none)"));
            return result("HTTP " + status + " from " + shown + ": the target redirects to " + location
                    + ", and Keygate does not follow redirects; point servers[0].url at the final address", true, null);
        }
        if (status >= 400) {
            return result("HTTP " + status + " from " + shown + ": " + body, true, structured);
        }
        return result(body.isEmpty() ? "HTTP " + status + " with an empty body" : body, false, structured);
    }

    private static ObjectNode result(String text, boolean isError, JsonNode structured) {
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.putArray("content").addObject().put("type", "text").put("text", text);
        if (structured != null) {
            result.set("structuredContent", structured);
        }
        return result.put("isError", isError);
    }

    /** The body as a JSON object when the response is JSON and the body is one, else null. */
    private static JsonNode structured(String contentType, String body) {
        String type = contentType.toLowerCase(Locale.ROOT);
        if (!(type.startsWith("application/json") || type.contains("+json"))) {
            return null;
        }
        try {
            JsonNode parsed = Json.MAPPER.readTree(body);
            return parsed != null && parsed.isObject() ? parsed : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    private static Charset charset(String contentType) {
        for (String part : contentType.split(";")) {
            String trimmed = part.trim();
            if (trimmed.regionMatches(true, 0, "charset=", 0, 8)) {
                try {
                    return Charset.forName(trimmed.substring(8).replace("\"", ""));
                } catch (IllegalArgumentException unknown) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /** Replaces the credential's values, plain or percent-encoded, wherever the target echoes them. */
    private record Redaction(Map<String, String> headers, Map<String, String> queryParameters) {
        private static final int SHORTEST = 4;

        String apply(String text) {
            String redacted = text;
            for (Map<String, String> values : List.of(headers, queryParameters)) {
                for (String value : values.values()) {
                    String secret = value.substring(value.lastIndexOf(' ') + 1);
                    for (String form : List.of(value, secret, OpenApiRequest.encode(value),
                            OpenApiRequest.encode(secret))) {
                        if (form.length() >= SHORTEST) {
                            redacted = redacted.replace(form, "[credential]");
                        }
                    }
                }
            }
            return redacted;
        }
    }
}
