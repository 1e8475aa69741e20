package io.keygate.audit;

import io.keygate.identity.principal.Hashes;
import io.keygate.store.Page;
import io.keygate.store.ResourceRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * The audit trail: every token hand-out and every consent step and completion attempt, stored (so
 * every node's events are in one place, in time order) and logged.
 */
public final class AuditLog {
    public static final String KIND = "audit";
    private static final Logger LOG = LoggerFactory.getLogger("io.keygate.audit");
    private static final DateTimeFormatter ORDERED = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSSSSSSSS")
            .withZone(ZoneOffset.UTC);
    private final ResourceRepository<AuditEvent> events;
    private final Clock clock;

    public AuditLog(ResourceRepository<AuditEvent> events, Clock clock) {
        this.events = Objects.requireNonNull(events, "events must not be null");
        this.clock = Objects.requireNonNull(clock, "clock must not be null");
    }

    /** Records an event; {@code outcome} is a reason code or null for success. */
    public void record(String event, String workload, String provider, String principalKind, String outcome) {
        AuditEvent audit = new AuditEvent(clock.instant(), event, workload, provider, principalKind, outcome);
        events.create(ORDERED.format(audit.at()) + "-" + Hashes.random(6), audit, null);
        LOG.info("audit event={} workload={} provider={} principalKind={} outcome={}", event, workload, provider,
                principalKind, outcome == null ? "ok" : outcome);
    }

    /** Events oldest first. */
    public Page<AuditEvent> list(String nextToken, int maxResults) {
        return events.list(nextToken, maxResults);
    }
}
