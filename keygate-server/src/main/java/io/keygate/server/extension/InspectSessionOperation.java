package io.keygate.server.extension;

import io.keygate.identity.session.SessionInspector;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

/**
 * {@code GET /keygate/v1/sessions/{sessionUri}}: a consent session's state and timeline, for an admin
 * key or a key of the session's workload. No token, code, state or verifier.
 */
public final class InspectSessionOperation implements Operation<InspectSessionOperation.Request, SessionInspector.View> {
    private final SessionInspector inspector;

    public InspectSessionOperation(SessionInspector inspector) {
        this.inspector = inspector;
    }

    /** Path: {@code sessionUri} (URL-encoded). */
    public record Request(String sessionUri) {
    }

    @Override
    public Class<Request> inputType() {
        return Request.class;
    }

    @Override
    public SessionInspector.View execute(Request input, Caller caller) {
        return inspector.inspect(caller.accessKey(), input.sessionUri());
    }
}
