package io.keygate.gateway.runtime;

import io.keygate.audit.AuditLog;
import io.keygate.gateway.Gateway;
import io.keygate.gateway.GatewayTarget;
import io.keygate.gateway.ToolListingException;
import io.keygate.gateway.mcp.ToolCatalog;
import io.keygate.gateway.mcp.ToolDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * {@code tools/list} for targets with {@code listingMode} DYNAMIC: each is asked for its tools on every
 * list, with the calling user's own outbound credential, all in parallel under one deadline. A target
 * that has no credential for this user, fails, or does not answer in time is left out of the answer
 * (logged and audited with the reason) and never holds up the others (security.md GW-7, F14: per-target
 * timeout, bounded pool as a bulkhead).
 *
 * @see <a href="https://docs.aws.amazon.com/bedrock-agentcore/latest/devguide/gateway-target-MCPservers.html">MCP server targets, listing mode</a>
 */
public final class DynamicTools {
    private static final Logger LOG = LoggerFactory.getLogger(DynamicTools.class);
    private final Function<String, List<GatewayTarget>> targets;
    private final CallerListing listing;
    private final AuditLog audit;
    private final Duration timeout;
    private final ThreadPoolExecutor pool;

    /** Lists one target's tools for one caller; {@link TargetToolListing#listFor} is the real one. */
    @FunctionalInterface
    public interface CallerListing {
        /**
         * @throws TargetToolListing.NoCredentialException when there is no credential for this caller
         * @throws ToolListingException                    when the server cannot be listed
         */
        List<ToolDefinition> listFor(Gateway gateway, GatewayTarget target, InboundCaller caller);
    }

    /**
     * @param targets     every target of a gateway, by gateway id ({@link GatewayTools#targetsOf}, cached)
     * @param timeout     how long one {@code tools/list} waits for the DYNAMIC targets, together
     * @param parallelism at most this many listings run at once on the node; more are left out as busy
     */
    public DynamicTools(Function<String, List<GatewayTarget>> targets, CallerListing listing, AuditLog audit,
                        Duration timeout, int parallelism) {
        this.targets = Objects.requireNonNull(targets, "targets must not be null");
        this.listing = Objects.requireNonNull(listing, "listing must not be null");
        this.audit = Objects.requireNonNull(audit, "audit must not be null");
        this.timeout = Objects.requireNonNull(timeout, "timeout must not be null");
        // daemon threads that end when idle, so the pool needs no shutdown
        this.pool = new ThreadPoolExecutor(0, parallelism, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "keygate-dynamic-tools");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The caller's catalog: the stored tools, then each DYNAMIC target's tools as listed now. */
    public ToolCatalog forCaller(Gateway gateway, InboundCaller caller, ToolCatalog stored) {
        return (gatewayId, principal) -> {
            List<ToolDefinition> tools = new ArrayList<>(stored.list(gatewayId, principal));
            tools.addAll(live(gateway, caller));
            return tools;
        };
    }

    private List<ToolDefinition> live(Gateway gateway, InboundCaller caller) {
        Map<GatewayTarget, Future<List<ToolDefinition>>> asked = new LinkedHashMap<>();
        for (GatewayTarget target : targets.apply(gateway.gatewayId())) {
            if (target.listsDynamically() && target.status() == GatewayTarget.Status.READY) {
                try {
                    asked.put(target, pool.submit(() -> listing.listFor(gateway, target, caller)));
                } catch (RejectedExecutionException busy) {
                    omit(gateway, target, "BUSY", "too many DYNAMIC listings run on this node right now");
                }
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ToolDefinition> tools = new ArrayList<>();
        asked.forEach((target, answer) -> {
            List<ToolDefinition> listed = await(gateway, target, answer, deadline);
            listed.forEach(tool -> tools.add(tool.withName(target.name() + GatewayTools.SEPARATOR + tool.name())));
        });
        return tools;
    }

    private List<ToolDefinition> await(Gateway gateway, GatewayTarget target, Future<List<ToolDefinition>> answer,
                                       long deadline) {
        try {
            return answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
            answer.cancel(true);
            omit(gateway, target, "TIMEOUT", "no answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            boolean explained = cause instanceof ToolListingException || cause instanceof TargetToolListing.NoCredentialException;
            omit(gateway, target, cause instanceof TargetToolListing.NoCredentialException ? "NO_CREDENTIAL" : "TARGET_FAILED",
                    explained ? cause.getMessage() : cause.getClass().getSimpleName());
        } catch (InterruptedException interrupted) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            omit(gateway, target, "INTERRUPTED", "the request was interrupted");
        }
        return List.of();
    }

    private void omit(Gateway gateway, GatewayTarget target, String code, String why) {
        LOG.info("tools/list on gateway {} left out DYNAMIC target {} ({}): {}", gateway.gatewayId(), target.name(), code,
                why);
        audit.record("tools-list-target-omitted", gateway.workloadIdentityName(), target.name(), null, code);
    }
}
