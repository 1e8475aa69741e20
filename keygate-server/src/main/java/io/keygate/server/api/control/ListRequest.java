package io.keygate.server.api.control;

/** The body of the List operations: {@code {"nextToken": …, "maxResults": …}}. */
public record ListRequest(String nextToken, Integer maxResults) {
}
