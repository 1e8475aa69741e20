package io.keygate.gateway;

import java.util.List;
import java.util.Objects;

/**
 * The operation of an OpenAPI document that one tool was derived from, as much of it as a call needs:
 * the absolute base URL (servers[0].url with its variables' defaults), the HTTP method, the path
 * template, the path, query and header parameters, and whether it takes a request body.
 *
 * @see <a href="https://spec.openapis.org/oas/v3.1.0#operation-object">OpenAPI 3.1 Operation Object</a>
 */
record OpenApiOperation(String baseUrl, String method, String pathTemplate, List<Parameter> parameters,
                        RequestBody body) {

    /** Where a parameter goes: {@code in} of the OpenAPI Parameter Object (cookie parameters are not sent). */
    enum In { PATH, QUERY, HEADER }

    /** Whether the operation has a {@code requestBody}, and whether it is required. */
    enum RequestBody { NONE, OPTIONAL, REQUIRED }

    /** One parameter; path parameters are always required (OpenAPI 3.1 §4.8.12.1). */
    record Parameter(String name, In in, boolean required) {
        Parameter {
            Objects.requireNonNull(name, "name must not be null");
            Objects.requireNonNull(in, "in must not be null");
        }
    }

    OpenApiOperation {
        Objects.requireNonNull(baseUrl, "baseUrl must not be null");
        Objects.requireNonNull(method, "method must not be null");
        Objects.requireNonNull(pathTemplate, "pathTemplate must not be null");
        Objects.requireNonNull(body, "body must not be null");
        parameters = List.copyOf(parameters);
    }
}
