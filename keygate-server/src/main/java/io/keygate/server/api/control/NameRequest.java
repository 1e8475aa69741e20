package io.keygate.server.api.control;

/** The body of the Get and Delete operations that name one resource: {@code {"name": …}}. */
public record NameRequest(String name) {
}
