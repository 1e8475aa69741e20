package io.keygate.server.extension;

import io.keygate.audit.AuditEvent;
import io.keygate.audit.AuditLog;
import io.keygate.error.Validation;
import io.keygate.server.api.Operation;
import io.keygate.server.api.auth.Caller;

import java.util.List;

/** {@code GET /keygate/v1/audit?nextToken=…&maxResults=…}: security events, oldest first. */
public final class ListAuditEventsOperation
        implements Operation<ListAuditEventsOperation.Request, ListAuditEventsOperation.Response> {
    private final AuditLog audit;

    public ListAuditEventsOperation(AuditLog audit) {
        this.audit = audit;
    }

    /** Query: {@code nextToken}, {@code maxResults} (1–1000, default 100). */
    public record Request(String nextToken, Integer maxResults) {
    }

    /** The response body. */
    public record Response(List<AuditEvent> events, String nextToken) {
    }

    @Override
    public Class<Request> inputType() {
        return Request.class;
    }

    @Override
    public Response execute(Request input, Caller caller) {
        new Validation().range("maxResults", input.maxResults(), 1, 1000).throwIfInvalid();
        var page = audit.list(input.nextToken(), input.maxResults() == null ? 100 : input.maxResults());
        return new Response(page.items(), page.nextToken());
    }
}
