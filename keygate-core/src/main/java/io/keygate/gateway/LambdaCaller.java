package io.keygate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keygate.json.Json;
import io.keygate.net.OutboundUrlGuard;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Calls one tool of a Lambda target, self-hosted: Keygate has no AWS account, so the target's
 * {@code lambdaArn} is mapped by the config ({@code gateway.lambdaEndpoints}) to a Lambda-compatible
 * invoke endpoint, such as the AWS Lambda Runtime Interface Emulator in front of the function's container.
 * The request is the one the emulator and the Lambda Invoke API take: {@code POST
 * {base}/2015-03-31/functions/function/invocations}, the tool arguments as the event, and the context
 * AgentCore Gateway gives its Lambda targets in {@code X-Amz-Client-Context} ({@code custom}:
 * {@code bedrockAgentCoreToolName = target___tool}, gateway and target ids, message version, request
 * ids). The function's answer becomes the text of the tool result; a function error (the
 * {@code X-Amz-Function-Error} or {@code Error-Type} header, or an {@code errorType}/{@code errorMessage}
 * body) becomes {@code isError} with its message, never its stack trace. The endpoint passes the
 * {@link OutboundUrlGuard} (GW-8) and the exchange is bounded by the target's {@link TargetLimits} (GW-7).
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/gateway-add-target-lambda.html">AgentCore Lambda targets</a>
 * @see <a href="https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html">Lambda Invoke</a>
 * @see <a href="https://github.com/aws/aws-lambda-runtime-interface-emulator">Lambda Runtime Interface Emulator</a>
 */
public final class LambdaCaller {
    static final String INVOKE_PATH = "/2015-03-31/functions/function/invocations";
    private static final Set<String> ERROR_FIELDS = Set.of("errorMessage", "errorType", "stackTrace", "requestId", "cause");
    private final OutboundUrlGuard guard;
    private final Map<String, URI> endpoints;
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    /** @param endpoints Lambda function ARN → base URL of its invoke endpoint */
    public LambdaCaller(OutboundUrlGuard guard, Map<String, URI> endpoints) {
        this.guard = Objects.requireNonNull(guard, "guard must not be null");
        this.endpoints = Map.copyOf(endpoints);
    }

    /** One tool call: which function, for which gateway target, with which arguments. */
    public record Invocation(String functionArn, String gatewayId, String targetId, String targetName, String toolName,
                             JsonNode arguments) {
        public Invocation {
            Objects.requireNonNull(functionArn, "functionArn must not be null");
            Objects.requireNonNull(arguments, "arguments must not be null");
        }
    }

    /**
     * @param headers the outbound credential's headers, if the target has one
     * @return the CallToolResult as JSON; a function error has {@code isError: true}
     * @throws ToolListingException no endpoint for the ARN, a URL the policy refuses, no connection, or an HTTP error
     * @throws TargetCallException  no answer in time, or an answer over the size limit
     */
    public JsonNode call(Invocation invocation, Map<String, String> headers, TargetLimits limits) {
        URI base = endpoints.get(invocation.functionArn());
        if (base == null) {
            throw new ToolListingException("Keygate has no invoke endpoint for the Lambda function "
                    + invocation.functionArn() + "; map it in gateway.lambdaEndpoints of the Keygate config (the "
                    + "function ARN and the base URL of a Lambda Runtime Interface Emulator or compatible endpoint)", null);
        }
        URI url = URI.create(base.toString().replaceAll("/+$", "") + INVOKE_PATH);
        String shown = "POST " + TargetHttp.withoutQuery(url);
        TargetHttp.allow(guard, url, shown);
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(limits.timeout())
                .header("Content-Type", "application/json")
                .header("X-Amz-Invocation-Type", "RequestResponse")
                .header("X-Amz-Client-Context", clientContext(invocation))
                .POST(HttpRequest.BodyPublishers.ofString(invocation.arguments().toString()));
        headers.forEach(request::header);
        return answer(TargetHttp.send(client, request.build(), shown, limits), shown, limits);
    }

    /** What AgentCore Gateway puts in {@code context.client_context.custom}, base64 JSON as Lambda's Invoke takes it. */
    static String clientContext(Invocation invocation) {
        String requestId = UUID.randomUUID().toString();
        Map<String, String> custom = new LinkedHashMap<>();
        custom.put("bedrockAgentCoreGatewayId", invocation.gatewayId());
        custom.put("bedrockAgentCoreTargetId", invocation.targetId());
        custom.put("bedrockAgentCoreMessageVersion", "1.0");
        custom.put("bedrockAgentCoreToolName", invocation.targetName() + "___" + invocation.toolName());
        custom.put("bedrockAgentCoreAwsRequestId", requestId);
        // the JSON-RPC id does not reach the tool invoker; the request id stands in so that the key exists
        custom.put("bedrockAgentCoreMcpMessageId", requestId);
        String json = Json.write(Map.of("custom", custom));
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode answer(HttpResponse<byte[]> response, String shown, TargetLimits limits) {
        int status = response.statusCode();
        if (response.body() == null) {
            throw TargetHttp.tooLarge(shown, status, limits);
        }
        String body = new String(response.body(), StandardCharsets.UTF_8);
        JsonNode parsed = parse(body);
        boolean flagged = response.headers().firstValue("X-Amz-Function-Error").isPresent()
                || response.headers().firstValue("Error-Type").isPresent();
        if (flagged || isErrorShape(parsed)) {
            String type = parsed != null && parsed.path("errorType").isTextual() ? parsed.get("errorType").asText()
                    : response.headers().firstValue("Error-Type").orElse("Unhandled");
            String message = parsed != null && parsed.path("errorMessage").isTextual() ? parsed.get("errorMessage").asText()
                    : body;
            return result("The function failed (" + type + "): " + trimmed(message), true);
        }
        if (status < 200 || status >= 300) {
            throw new ToolListingException(shown + " answered HTTP " + status + ": " + trimmed(body), null);
        }
        return result(body, false);
    }

    /** Lambda reports an unhandled error as {@code {"errorMessage","errorType","stackTrace"}}; older emulators with 200. */
    private static boolean isErrorShape(JsonNode parsed) {
        if (parsed == null || !parsed.isObject() || !parsed.has("errorMessage") || !parsed.has("errorType")) {
            return false;
        }
        for (var names = parsed.fieldNames(); names.hasNext(); ) {
            if (!ERROR_FIELDS.contains(names.next())) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode parse(String body) {
        try {
            return body.isBlank() ? null : Json.MAPPER.readTree(body);
        } catch (IOException notJson) {
            return null;
        }
    }

    private static String trimmed(String text) {
        return text.length() > 1000 ? text.substring(0, 1000) + "…" : text;
    }

    private static ObjectNode result(String text, boolean isError) {
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.putArray("content").addObject().put("type", "text").put("text", text);
        return result.put("isError", isError);
    }
}
