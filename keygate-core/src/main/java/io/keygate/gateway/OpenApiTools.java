package io.keygate.gateway;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.keygate.error.Validation;
import io.keygate.gateway.mcp.ToolDefinition;
import io.keygate.json.Json;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Derives MCP tools from an OpenAPI 3 document (JSON or YAML): one tool per operation, named by its
 * {@code operationId} (or {@code method_path}), described by its summary, whose input schema is an
 * object of its path, query and header parameters plus {@code body} when it takes a request body.
 * Local {@code $ref}s are inlined so clients see self-contained schemas. At call time
 * {@link #operation} finds the operation of a tool again by the same naming rule.
 *
 * @see <a href="https://spec.openapis.org/oas/v3.1.0">OpenAPI 3.1</a>
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/gateway-schema-openapi.html">Gateway OpenAPI targets</a>
 */
final class OpenApiTools {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final int MAX_REF_DEPTH = 64;
    private static final Pattern SERVER_VARIABLE = Pattern.compile("\\{([^{}]*)}");

    private OpenApiTools() {
    }

    /** The tools of the document, or null when it is unusable (the problems are in {@code validation} under {@code field}). */
    static List<ToolDefinition> derive(String payload, String field, Validation validation) {
        JsonNode root = parse(payload);
        String problem = root == null ? "is neither JSON nor YAML; give an OpenAPI 3 document" : checkDocument(root);
        if (problem != null) {
            validation.problem(field, problem);
            return null;
        }
        List<ToolDefinition> tools = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Iterator<Map.Entry<String, JsonNode>> paths = root.get("paths").fields();
        while (paths.hasNext()) {
            var path = paths.next();
            for (String method : METHODS) {
                JsonNode operation = path.getValue().get(method);
                if (operation == null || !operation.isObject()) {
                    continue;
                }
                try {
                    ToolDefinition tool = tool(root, path.getKey(), path.getValue(), method, operation);
                    if (!names.add(tool.name())) {
                        validation.problem(field, "two operations make the tool name '" + tool.name()
                                + "'; give them distinct operationIds");
                    }
                    tools.add(tool);
                } catch (IllegalArgumentException unusable) {
                    validation.problem(field, method.toUpperCase(Locale.ROOT) + " " + path.getKey() + ": " + unusable.getMessage());
                }
            }
        }
        if (tools.isEmpty() || tools.size() > TargetConfigurations.MAX_TOOLS) {
            validation.problem(field, "must define 1 to " + TargetConfigurations.MAX_TOOLS + " operations under paths; "
                    + "Keygate makes one tool per operation");
        }
        return tools;
    }

    /**
     * The operation that {@link #derive} named {@code toolName}, found by the same naming rule; empty when no
     * operation of the document makes that name.
     *
     * @throws IllegalArgumentException when the document is unusable, saying why
     */
    static Optional<OpenApiOperation> operation(String payload, String toolName) {
        JsonNode root = parse(payload);
        String problem = root == null ? "is neither JSON nor YAML" : checkDocument(root);
        if (problem != null) {
            throw new IllegalArgumentException("the OpenAPI document " + problem);
        }
        Iterator<Map.Entry<String, JsonNode>> paths = root.get("paths").fields();
        while (paths.hasNext()) {
            var path = paths.next();
            for (String method : METHODS) {
                JsonNode operation = path.getValue().get(method);
                if (operation != null && operation.isObject() && toolName(path.getKey(), method, operation).equals(toolName)) {
                    return Optional.of(describe(root, path.getKey(), path.getValue(), method, operation));
                }
            }
        }
        return Optional.empty();
    }

    private static OpenApiOperation describe(JsonNode root, String path, JsonNode pathItem, String method, JsonNode operation) {
        List<OpenApiOperation.Parameter> parameters = new ArrayList<>();
        for (JsonNode parameter : parameters(root, pathItem, operation)) {
            String name = parameter.path("name").asText("");
            OpenApiOperation.In in = switch (parameter.path("in").asText("")) {
                case "path" -> OpenApiOperation.In.PATH;
                case "query" -> OpenApiOperation.In.QUERY;
                case "header" -> OpenApiOperation.In.HEADER;
                default -> null;
            };
            if (!name.isEmpty() && in != null) {
                parameters.add(new OpenApiOperation.Parameter(name, in,
                        in == OpenApiOperation.In.PATH || parameter.path("required").asBoolean(false)));
            }
        }
        OpenApiOperation.RequestBody body = !operation.has("requestBody") ? OpenApiOperation.RequestBody.NONE
                : resolve(root, operation.get("requestBody"), 0).path("required").asBoolean(false)
                ? OpenApiOperation.RequestBody.REQUIRED : OpenApiOperation.RequestBody.OPTIONAL;
        return new OpenApiOperation(baseUrl(root.path("servers").path(0)), method.toUpperCase(Locale.ROOT), path,
                parameters, body);
    }

    /** The server's url with each {@code {variable}} replaced by its default (OpenAPI 3.1 §4.8.6). */
    private static String baseUrl(JsonNode server) {
        Matcher variable = SERVER_VARIABLE.matcher(server.path("url").asText());
        StringBuilder url = new StringBuilder();
        while (variable.find()) {
            JsonNode value = server.path("variables").path(variable.group(1)).path("default");
            if (!value.isValueNode() || value.isNull()) {
                throw new IllegalArgumentException("{" + variable.group(1) + "} has none in servers[0].variables");
            }
            variable.appendReplacement(url, Matcher.quoteReplacement(value.asText()));
        }
        return variable.appendTail(url).toString();
    }

    private static JsonNode parse(String payload) {
        try {
            JsonNode root = payload.stripLeading().startsWith("{") ? Json.MAPPER.readTree(payload) : YAML.readTree(payload);
            return root != null && root.isObject() ? root : null;
        } catch (java.io.IOException | RuntimeException unparsable) {
            return null;
        }
    }

    /** What is wrong with the document as a whole, or null. */
    private static String checkDocument(JsonNode root) {
        if (root.has("swagger")) {
            return "is Swagger 2.0; convert it to OpenAPI 3 (for example with swagger2openapi)";
        }
        if (!root.path("openapi").asText("").startsWith("3.")) {
            return "must be an OpenAPI 3 document: its 'openapi' field must be 3.x";
        }
        if (!root.path("paths").isObject()) {
            return "must have 'paths' with the operations to offer as tools";
        }
        String baseUrl;
        try {
            baseUrl = baseUrl(root.path("servers").path(0));
        } catch (IllegalArgumentException noDefault) {
            return "must give every variable of servers[0].url a default: " + noDefault.getMessage();
        }
        if (!isAbsoluteUrl(baseUrl)) {
            return "must name the API's absolute base URL in servers[0].url (for example https://api.example.com/v1); "
                    + "the gateway calls the operations there";
        }
        return null;
    }

    private static boolean isAbsoluteUrl(String url) {
        try {
            URI uri = URI.create(url);
            return uri.isAbsolute() && uri.getHost() != null;
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    /** The tool name of an operation: its operationId, else {@code method_path}, sanitized. */
    private static String toolName(String path, String method, JsonNode operation) {
        return operation.path("operationId").isTextual() ? sanitize(operation.get("operationId").asText())
                : sanitize(method + "_" + path);
    }

    private static ToolDefinition tool(JsonNode root, String path, JsonNode pathItem, String method, JsonNode operation) {
        String name = toolName(path, method, operation);
        String description = operation.path("summary").isTextual() ? operation.get("summary").asText()
                : operation.path("description").isTextual() ? operation.get("description").asText()
                : method.toUpperCase(Locale.ROOT) + " " + path;
        ObjectNode properties = Json.MAPPER.createObjectNode();
        Set<String> required = new java.util.LinkedHashSet<>();
        for (JsonNode parameter : parameters(root, pathItem, operation)) {
            String in = parameter.path("in").asText("");
            String parameterName = parameter.path("name").asText("");
            if (parameterName.isEmpty() || !(in.equals("path") || in.equals("query") || in.equals("header"))) {
                continue;
            }
            ObjectNode schema = objectSchema(root, parameter.get("schema"), "string");
            if (!schema.has("description") && parameter.path("description").isTextual()) {
                schema.put("description", parameter.get("description").asText());
            }
            properties.set(parameterName, schema);
            if (in.equals("path") || parameter.path("required").asBoolean(false)) {
                required.add(parameterName);
            }
        }
        body(root, operation, properties, required);
        ObjectNode input = Json.MAPPER.createObjectNode().put("type", "object");
        input.set("properties", properties);
        ArrayNode requiredNames = input.putArray("required");
        required.forEach(requiredNames::add);
        return new ToolDefinition(name, null, description, input, null, null);
    }

    /** Path-item parameters overridden by operation parameters of the same name and location. */
    private static List<JsonNode> parameters(JsonNode root, JsonNode pathItem, JsonNode operation) {
        Map<String, JsonNode> byKey = new LinkedHashMap<>();
        for (JsonNode list : List.of(pathItem.path("parameters"), operation.path("parameters"))) {
            for (JsonNode parameter : list) {
                JsonNode resolved = resolve(root, parameter, 0);
                byKey.put(resolved.path("in").asText("") + ":" + resolved.path("name").asText(""), resolved);
            }
        }
        return new ArrayList<>(byKey.values());
    }

    private static void body(JsonNode root, JsonNode operation, ObjectNode properties, Set<String> required) {
        if (!operation.has("requestBody")) {
            return;
        }
        JsonNode requestBody = resolve(root, operation.get("requestBody"), 0);
        JsonNode content = requestBody.path("content");
        JsonNode media = content.has("application/json") ? content.get("application/json")
                : content.elements().hasNext() ? content.elements().next() : Json.MAPPER.createObjectNode();
        ObjectNode schema = objectSchema(root, media.get("schema"), "object");
        if (!schema.has("description") && requestBody.path("description").isTextual()) {
            schema.put("description", requestBody.get("description").asText());
        }
        properties.set("body", schema);
        if (requestBody.path("required").asBoolean(false)) {
            required.add("body");
        }
    }

    /** The resolved schema when it is an object, else a schema of just {@code fallbackType}. */
    private static ObjectNode objectSchema(JsonNode root, JsonNode schema, String fallbackType) {
        JsonNode resolved = schema == null ? null : resolve(root, schema, 0);
        return resolved instanceof ObjectNode object ? object : Json.MAPPER.createObjectNode().put("type", fallbackType);
    }

    /** A copy of {@code node} with local {@code $ref}s replaced by what they point at. */
    private static JsonNode resolve(JsonNode root, JsonNode node, int depth) {
        if (depth > MAX_REF_DEPTH) {
            throw new IllegalArgumentException("its schemas nest deeper than " + MAX_REF_DEPTH
                    + " levels (a recursive $ref?); flatten the schema");
        }
        if (node.isObject() && node.path("$ref").isTextual()) {
            String ref = node.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalArgumentException("$ref " + ref + " points outside the document; inline it");
            }
            JsonNode target = root.at(JsonPointer.compile(ref.substring(1)));
            if (target.isMissingNode()) {
                throw new IllegalArgumentException("$ref " + ref + " points at nothing in the document");
            }
            return resolve(root, target, depth + 1);
        }
        JsonNode copy = node.deepCopy();
        if (copy.isObject()) {
            node.fields().forEachRemaining(entry -> ((ObjectNode) copy).set(entry.getKey(), resolve(root, entry.getValue(), depth + 1)));
        } else if (copy.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                ((ArrayNode) copy).set(i, resolve(root, node.get(i), depth + 1));
            }
        }
        return copy;
    }

    /** A tool name of [A-Za-z0-9_-]: other characters become '_', runs collapse, ends are trimmed. */
    static String sanitize(String raw) {
        String name = raw.replaceAll("[^A-Za-z0-9_-]+", "_").replaceAll("_+", "_").replaceAll("^_|_$", "");
        return name.isEmpty() ? "operation" : name.length() > 128 ? name.substring(0, 128) : name;
    }
}
