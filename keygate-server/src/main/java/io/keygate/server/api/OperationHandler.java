package io.keygate.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keygate.error.Errors;
import io.keygate.server.api.auth.Caller;
import io.keygate.server.api.auth.SigV4Verifier;
import io.keygate.server.http.ApiRequest;
import io.keygate.server.http.ApiResponse;
import io.keygate.server.http.QueryString;
import io.keygate.server.http.RouteHandler;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Runs one {@link Operation} for a SigV4-signed request: authenticate, check the caller may use the
 * route, bind the body (merged with path parameters, as AWS REST bindings do) to the input record,
 * execute, write the output as JSON with the operation's success status.
 */
public final class OperationHandler<I, O> implements RouteHandler {
    private final Operation<I, O> operation;
    private final Access access;
    private final SigV4Verifier verifier;

    public OperationHandler(Operation<I, O> operation, Access access, SigV4Verifier verifier) {
        this.operation = Objects.requireNonNull(operation, "operation must not be null");
        this.access = Objects.requireNonNull(access, "access must not be null");
        this.verifier = Objects.requireNonNull(verifier, "verifier must not be null");
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        Caller caller = verifier.verify(request);
        if (access == Access.ADMIN && !caller.isAdmin()) {
            throw Errors.accessDenied("Access key " + caller.accessKey().accessKeyId() + " is scoped to the workload "
                    + "identities " + caller.accessKey().workloads() + ": it may call only the data plane for them. "
                    + "Use an admin access key for " + operationName() + ".");
        }
        I input = ApiJson.read(bodyWithPathParameters(request), operation.inputType());
        O output = operation.execute(input, caller);
        return output == null
                ? ApiResponse.empty(operation.successStatus())
                : ApiResponse.json(operation.successStatus(), ApiJson.write(output));
    }

    private String operationName() {
        return operation.getClass().getSimpleName().replace("Operation", "");
    }

    /** The JSON body with query parameters and path parameters added (path parameters win), as AWS binds them. */
    private static byte[] bodyWithPathParameters(ApiRequest request) {
        Map<String, String> bound = new LinkedHashMap<>(QueryString.parse(request.rawQuery()));
        bound.putAll(request.pathParameters());
        if (bound.isEmpty()) {
            return request.body();
        }
        JsonNode body = request.body().length == 0 ? ApiJson.MAPPER.createObjectNode()
                : ApiJson.read(request.body(), JsonNode.class);
        if (!body.isObject()) {
            throw Errors.cannotParse("The request body must be a JSON object");
        }
        bound.forEach(((ObjectNode) body)::put);
        return ApiJson.write(body);
    }
}
