package io.keygate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.json.Json;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the arguments of one tool call into the HTTP request of its OpenAPI operation. Every path
 * parameter value becomes exactly one percent-encoded path segment, so {@code ../admin} is sent as
 * {@code ..%2Fadmin} and never walks the target's paths (security.md B9); query names and values are
 * percent-encoded the same way. The outbound credential always wins over an argument of the same name.
 * Arguments the model got wrong become {@link Invalid} naming the argument; a document Keygate cannot
 * build a URL from throws {@link IllegalArgumentException}.
 *
 * @see <a href="https://spec.openapis.org/oas/v3.1.0#parameter-object">OpenAPI 3.1 Parameter Object</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc3986#section-3.3">RFC 3986 §3.3 Path</a>
 */
final class OpenApiRequest {
    private static final Pattern TEMPLATE = Pattern.compile("\\{([^{}]*)}");
    /** OpenAPI 3.1 §4.8.12.1: header parameters of these names SHALL be ignored. */
    private static final Set<String> IGNORED_HEADERS = Set.of("accept", "content-type", "authorization");
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private OpenApiRequest() {
    }

    /** The outcome of building a request. */
    sealed interface Built permits Ready, Invalid {
    }

    /** The request to send. */
    record Ready(HttpRequest request) implements Built {
    }

    /** The arguments do not fit the operation; the message names the argument and what to change. */
    record Invalid(String message) implements Built {
    }

    static Built build(OpenApiOperation operation, JsonNode arguments, Map<String, String> credentialHeaders,
                       Map<String, String> credentialQuery, Duration timeout) {
        JsonNode args = arguments == null || arguments.isNull() ? Json.MAPPER.createObjectNode() : arguments;
        String problem = !args.isObject() ? "the arguments must be a JSON object" : checkArguments(operation, args);
        if (problem == null) {
            problem = checkPathValues(operation, args);
        }
        if (problem != null) {
            return new Invalid(problem);
        }
        URI uri = uri(operation, args, credentialQuery);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", "application/json, */*;q=0.8");
        JsonNode body = args.get("body");
        boolean sendsBody = operation.body() != OpenApiOperation.RequestBody.NONE && present(body);
        request.method(operation.method(), sendsBody ? HttpRequest.BodyPublishers.ofString(Json.write(body))
                : HttpRequest.BodyPublishers.noBody());
        if (sendsBody) {
            request.header("Content-Type", "application/json");
        }
        problem = headers(request, operation, args, credentialHeaders);
        return problem != null ? new Invalid(problem) : new Ready(request.build());
    }

    /** Unknown arguments (GW-7: strict) and missing required ones, or null. */
    private static String checkArguments(OpenApiOperation operation, JsonNode args) {
        Set<String> known = new TreeSet<>();
        operation.parameters().forEach(parameter -> known.add(parameter.name()));
        if (operation.body() != OpenApiOperation.RequestBody.NONE) {
            known.add("body");
        }
        for (Iterator<String> names = args.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                return "unknown argument '" + name + "'; this tool takes " + (known.isEmpty() ? "no arguments" : known);
            }
        }
        for (OpenApiOperation.Parameter parameter : operation.parameters()) {
            if (parameter.required() && !present(args.get(parameter.name()))) {
                return "missing required argument '" + parameter.name() + "' (a "
                        + parameter.in().name().toLowerCase(Locale.ROOT) + " parameter)";
            }
        }
        if (operation.body() == OpenApiOperation.RequestBody.REQUIRED && !present(args.get("body"))) {
            return "missing required argument 'body' (the request body)";
        }
        return null;
    }

    /** Path values that would not stay one segment of their own, or null. */
    private static String checkPathValues(OpenApiOperation operation, JsonNode args) {
        for (OpenApiOperation.Parameter parameter : operation.parameters()) {
            if (parameter.in() == OpenApiOperation.In.PATH) {
                String value = text(args.get(parameter.name()));
                // "." and ".." stay unencoded (they are unreserved) and would be dot-segments (RFC 3986 §5.2.4)
                if (value.isEmpty() || value.equals(".") || value.equals("..")) {
                    return "argument '" + parameter.name() + "' must not be empty, '.' or '..': it is one segment "
                            + "of the URL path";
                }
            }
        }
        return null;
    }

    private static URI uri(OpenApiOperation operation, JsonNode args, Map<String, String> credentialQuery) {
        URI base = URI.create(operation.baseUrl());
        String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        StringBuilder uri = new StringBuilder(base.getScheme()).append("://").append(base.getRawAuthority())
                .append(basePath).append(path(operation, args));
        List<String> query = new ArrayList<>();
        if (base.getRawQuery() != null) {
            query.add(base.getRawQuery());
        }
        for (OpenApiOperation.Parameter parameter : operation.parameters()) {
            JsonNode value = args.get(parameter.name());
            if (parameter.in() == OpenApiOperation.In.QUERY && present(value) && !credentialQuery.containsKey(parameter.name())) {
                for (JsonNode item : value.isArray() ? value : List.of(value)) {
                    query.add(encode(parameter.name()) + "=" + encode(text(item)));
                }
            }
        }
        credentialQuery.forEach((name, value) -> query.add(encode(name) + "=" + encode(value)));
        if (!query.isEmpty()) {
            uri.append('?').append(String.join("&", query));
        }
        try {
            return new URI(uri.toString());
        } catch (URISyntaxException invalid) {
            // the message would quote the whole URL, credential query included
            throw new IllegalArgumentException("servers[0].url and the path " + operation.pathTemplate()
                    + " do not form a valid URL; percent-encode any space or other character URLs do not allow");
        }
    }

    /** The path template with each {@code {name}} replaced by its argument as one encoded segment. */
    private static String path(OpenApiOperation operation, JsonNode args) {
        Map<String, String> values = new HashMap<>();
        operation.parameters().stream().filter(parameter -> parameter.in() == OpenApiOperation.In.PATH)
                .forEach(parameter -> values.put(parameter.name(), encode(text(args.get(parameter.name())))));
        Matcher variable = TEMPLATE.matcher(operation.pathTemplate());
        StringBuilder path = new StringBuilder();
        while (variable.find()) {
            String value = values.get(variable.group(1));
            if (value == null) {
                throw new IllegalArgumentException("the path " + operation.pathTemplate() + " uses {" + variable.group(1)
                        + "}, but the operation defines no path parameter of that name");
            }
            variable.appendReplacement(path, Matcher.quoteReplacement(value));
        }
        return variable.appendTail(path).toString();
    }

    /** Sets the header arguments, then the credential; returns a problem or null. */
    private static String headers(HttpRequest.Builder request, OpenApiOperation operation, JsonNode args,
                                  Map<String, String> credentialHeaders) {
        Set<String> owned = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        owned.addAll(credentialHeaders.keySet());
        owned.addAll(IGNORED_HEADERS);
        for (OpenApiOperation.Parameter parameter : operation.parameters()) {
            JsonNode value = args.get(parameter.name());
            if (parameter.in() != OpenApiOperation.In.HEADER || !present(value) || owned.contains(parameter.name())) {
                continue;
            }
            String text = text(value);
            if (text.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
                return "argument '" + parameter.name() + "' is a header and must not contain line breaks or control characters";
            }
            try {
                request.header(parameter.name(), text);
            } catch (IllegalArgumentException restricted) {
                return "argument '" + parameter.name() + "' cannot be sent as a header: " + restricted.getMessage();
            }
        }
        try {
            credentialHeaders.forEach(request::setHeader);
        } catch (IllegalArgumentException invalid) {
            throw new IllegalArgumentException("the credential cannot be sent in the headers " + credentialHeaders.keySet());
        }
        return null;
    }

    private static boolean present(JsonNode value) {
        return value != null && !value.isNull();
    }

    /** Scalars as their text, arrays comma-separated (OpenAPI style {@code simple}), objects as JSON. */
    private static String text(JsonNode value) {
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(text(item)));
            return String.join(",", items);
        }
        return value.isValueNode() ? value.asText() : Json.write(value);
    }

    /** Percent-encodes every UTF-8 byte except the RFC 3986 unreserved characters (ALPHA, DIGIT, -._~). */
    static String encode(String value) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                encoded.append((char) c);
            } else {
                encoded.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return encoded.toString();
    }
}
