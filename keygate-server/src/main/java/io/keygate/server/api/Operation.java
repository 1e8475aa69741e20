package io.keygate.server.api;

import io.keygate.server.api.auth.Caller;

/**
 * One AWS operation: its input is the request body bound to a record, its output a record written as
 * the response body (null: no body). Implementations are thin: they map to core types and call one
 * service method.
 *
 * @param <I> the request record
 * @param <O> the response record
 */
public interface Operation<I, O> {

    Class<I> inputType();

    /** The HTTP status of a successful call (AWS: 201 for creates, 204 for deletes, else 200). */
    default int successStatus() {
        return 200;
    }

    O execute(I input, Caller caller);
}
