package io.keygate.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.keygate.error.Validation;
import io.keygate.gateway.mcp.ToolDefinition;
import io.keygate.json.Json;
import io.keygate.net.OutboundUrlGuard;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates the AWS {@code TargetConfiguration} union and finds out where its tools come from. Keygate
 * serves {@code mcp.mcpServer}, {@code mcp.openApiSchema} and {@code mcp.lambda}, with schemas inline
 * only; problems name the field path exactly as the SDK sends it.
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore-control/latest/APIReference/API_McpTargetConfiguration.html">McpTargetConfiguration</a>
 */
final class TargetConfigurations {
    static final int MAX_INLINE_PAYLOAD = 1024 * 1024;
    static final int MAX_TOOLS = 1000;
    private static final String MCP = "targetConfiguration.mcp";
    private static final Pattern LAMBDA_ARN = Pattern.compile("arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[a-zA-Z0-9-_.]+(:[a-zA-Z0-9-_$]+)?");
    private static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final OutboundUrlGuard guard;

    TargetConfigurations(OutboundUrlGuard guard) {
        this.guard = Objects.requireNonNull(guard, "guard must not be null");
    }

    /** The target's tool source, or null when the configuration is invalid (the problems are in {@code validation}). */
    TargetSource parse(JsonNode configuration, Validation validation) {
        String member = member(configuration, "targetConfiguration", validation);
        if (member == null) {
            return null;
        }
        if (!member.equals("mcp")) {
            validation.problem("targetConfiguration." + member, "is not supported by Keygate; give targetConfiguration.mcp "
                    + "with mcpServer, openApiSchema or lambda");
            return null;
        }
        JsonNode mcp = configuration.get("mcp");
        String kind = member(mcp, MCP, validation);
        if (kind == null) {
            return null;
        }
        JsonNode body = mcp.get(kind);
        return switch (kind) {
            case "mcpServer" -> mcpServer(body, validation);
            case "openApiSchema" -> openApiSchema(body, validation);
            case "lambda" -> lambda(body, validation);
            default -> {
                validation.problem(MCP + "." + kind, "is not supported by Keygate; give mcpServer, openApiSchema "
                        + "(OpenAPI 3, inline) or lambda");
                yield null;
            }
        };
    }

    private TargetSource mcpServer(JsonNode server, Validation validation) {
        String field = MCP + ".mcpServer";
        String endpoint = text(server, "endpoint", field, validation);
        String listingMode = text(server, "listingMode", field, validation);
        validation.required(field + ".endpoint", endpoint, 1, 2048, null)
                .oneOf(field + ".listingMode", listingMode, List.of("DEFAULT", "DYNAMIC"));
        if (endpoint != null) {
            GatewayRules.checkUrl(validation, field + ".endpoint", endpoint, guard);
        }
        JsonNode priority = server.path("resourcePriority");
        if (!priority.isMissingNode() && !priority.isNull() && (!priority.isInt() || priority.asInt() < 0 || priority.asInt() > 1000)) {
            validation.problem(field + ".resourcePriority", "must be an integer from 0 to 1000");
        }
        List<ToolDefinition> inline = null;
        if (present(server.get("mcpToolSchema"))) {
            String payload = inlinePayload(server.get("mcpToolSchema"), field + ".mcpToolSchema", validation);
            inline = payload == null ? null : mcpToolSchema(payload, field + ".mcpToolSchema.inlinePayload", validation);
            if ("DYNAMIC".equals(listingMode)) {
                validation.problem(field + ".listingMode", "DYNAMIC asks the server for its tools on every tools/list, "
                        + "which an inline mcpToolSchema replaces: remove mcpToolSchema or use listingMode DEFAULT");
            }
        }
        return new TargetSource(TargetSource.Kind.MCP_SERVER, endpoint, inline, "DYNAMIC".equals(listingMode));
    }

    private static TargetSource openApiSchema(JsonNode schema, Validation validation) {
        String field = MCP + ".openApiSchema";
        String payload = inlinePayload(schema, field, validation);
        List<ToolDefinition> tools = payload == null ? null : OpenApiTools.derive(payload, field + ".inlinePayload", validation);
        return new TargetSource(TargetSource.Kind.OPEN_API_SCHEMA, null, tools, false);
    }

    private static TargetSource lambda(JsonNode lambda, Validation validation) {
        String field = MCP + ".lambda";
        validation.required(field + ".lambdaArn", text(lambda, "lambdaArn", field, validation), 1, 170, LAMBDA_ARN);
        String schemaMember = member(lambda.get("toolSchema"), field + ".toolSchema", validation);
        if (schemaMember == null) {
            return null;
        }
        if (!schemaMember.equals("inlinePayload")) {
            validation.problem(field + ".toolSchema." + schemaMember, "Keygate reads schemas inline only; put the tool "
                    + "definitions in inlinePayload");
            return null;
        }
        JsonNode tools = lambda.get("toolSchema").get("inlinePayload");
        return new TargetSource(TargetSource.Kind.LAMBDA, null,
                tools(tools, field + ".toolSchema.inlinePayload", field + ".toolSchema.inlinePayload", validation), false);
    }

    /** Checks the header and query-parameter allow-lists of {@code metadataConfiguration}. */
    static void validateMetadata(JsonNode metadata, Validation validation) {
        if (!present(metadata)) {
            return;
        }
        if (!metadata.isObject()) {
            validation.problem("metadataConfiguration", "must be an object");
            return;
        }
        Map<String, Integer> limits = Map.of("allowedRequestHeaders", 100, "allowedQueryParameters", 40,
                "allowedResponseHeaders", 100);
        metadata.fieldNames().forEachRemaining(name -> {
            String field = "metadataConfiguration." + name;
            JsonNode list = metadata.get(name);
            if (!limits.containsKey(name)) {
                validation.problem(field, "is not a member; give allowedRequestHeaders, allowedQueryParameters or "
                        + "allowedResponseHeaders");
            } else if (!list.isArray() || list.isEmpty() || list.size() > 10) {
                validation.problem(field, "must list 1 to 10 names");
            } else {
                for (int i = 0; i < list.size(); i++) {
                    validation.required(field + "[" + i + "]", list.get(i).isTextual() ? list.get(i).asText() : null,
                            1, limits.get(name), null);
                }
            }
        });
    }

    /** The text of an {@code {s3} | {inlinePayload}} union, or null with a problem. */
    private static String inlinePayload(JsonNode union, String field, Validation validation) {
        String member = member(union, field, validation);
        if (member == null) {
            return null;
        }
        if (!member.equals("inlinePayload")) {
            validation.problem(field + "." + member, "Keygate reads schemas inline only; put the schema in inlinePayload");
            return null;
        }
        JsonNode payload = union.get("inlinePayload");
        if (!payload.isTextual() || payload.asText().isBlank()) {
            validation.problem(field + ".inlinePayload", "must be a non-empty string holding the document");
            return null;
        }
        if (payload.asText().length() > MAX_INLINE_PAYLOAD) {
            validation.problem(field + ".inlinePayload", "must be at most 1 MB; split the API into several targets");
            return null;
        }
        return payload.asText();
    }

    /** The MCP tool list of an inline {@code mcpToolSchema}: a JSON string {@code {"tools":[…]}}. */
    private static List<ToolDefinition> mcpToolSchema(String payload, String field, Validation validation) {
        JsonNode document;
        try {
            document = Json.MAPPER.readTree(payload);
        } catch (JsonProcessingException notJson) {
            validation.problem(field, "is not JSON; give the tools as the string {\"tools\":[…]} in MCP tools/list form");
            return null;
        }
        if (document == null || !document.path("tools").isArray()) {
            validation.problem(field, "must be a JSON object {\"tools\":[…]} in MCP tools/list form");
            return null;
        }
        return tools(document.get("tools"), field, "tools", validation);
    }

    /**
     * Tool definitions from a JSON array. {@code field} is the SDK field the problems are reported on;
     * {@code path} names the array inside it (the same when the array is the field itself).
     */
    private static List<ToolDefinition> tools(JsonNode array, String field, String path, Validation validation) {
        if (array == null || !array.isArray() || array.isEmpty() || array.size() > MAX_TOOLS) {
            validation.problem(field, "must list 1 to " + MAX_TOOLS + " tool definitions");
            return null;
        }
        boolean inside = !field.equals(path);
        List<ToolDefinition> tools = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode tool = array.get(i);
            String at = path + "[" + i + "]";
            String name = tool.path("name").isTextual() ? tool.get("name").asText() : null;
            if (name == null || !TOOL_NAME.matcher(name).matches() || !names.add(name)) {
                report(validation, field, at + ".name", inside, "must be a unique tool name of 1 to 128 of [A-Za-z0-9_.-]");
            } else if (!tool.path("inputSchema").isObject()) {
                report(validation, field, at + ".inputSchema", inside, "must be a JSON Schema object describing the arguments");
            } else {
                tools.add(new ToolDefinition(name, textOrNull(tool.get("title")), textOrNull(tool.get("description")),
                        tool.get("inputSchema"), tool.get("outputSchema"), tool.get("annotations")));
            }
        }
        return tools;
    }

    private static void report(Validation validation, String field, String at, boolean inside, String message) {
        if (inside) {
            validation.problem(field, at + " " + message);
        } else {
            validation.problem(at, message);
        }
    }

    /** The single member of a union object, or null with a problem. */
    static String member(JsonNode union, String field, Validation validation) {
        if (!present(union)) {
            validation.problem(field, "is required");
            return null;
        }
        if (!union.isObject() || union.size() != 1) {
            validation.problem(field, "must be an object with exactly one member (it is a union)");
            return null;
        }
        return union.fieldNames().next();
    }

    static String text(JsonNode node, String name, String field, Validation validation) {
        JsonNode value = node == null ? null : node.get(name);
        if (!present(value)) {
            return null;
        }
        if (!value.isTextual()) {
            validation.problem(field + "." + name, "must be a string");
            return null;
        }
        return value.asText();
    }

    private static String textOrNull(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull() && !node.isMissingNode();
    }
}
