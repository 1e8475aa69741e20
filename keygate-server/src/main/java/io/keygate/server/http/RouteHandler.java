package io.keygate.server.http;

/** Answers requests that matched a route. Failures are thrown and mapped in one place. */
@FunctionalInterface
public interface RouteHandler {
    ApiResponse handle(ApiRequest request) throws Exception;
}
