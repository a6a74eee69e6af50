package io.raftboot.spring.leadership;

import io.raftboot.core.loop.RaftListener;
import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.loop.RaftStatus;
import io.raftboot.core.loop.RoleLease;
import io.raftboot.spring.support.RaftExecutors;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Turns the named roles this node holds ({@link RaftStatus#roles()}) into {@link RoleGrantedEvent}
 * and {@link RoleRevokedEvent}, published on the event thread in order, the sibling of
 * {@link LeadershipTracker} for Raft leadership. "Held" means what {@link
 * LeadershipService#isLeader(String)} means: listed and its proof not run out. A hold whose token
 * changes (the role came back to this node with a new grant) is a revocation, then a grant.
 *
 * <p>The loop reports a lapsed role when it wakes at the role's deadline; this tracker also looks
 * again just after the earliest deadline itself, so a loop that is stuck (a hung disk) cannot
 * leave a lapsed role published as held.
 */
public final class RoleTracker implements RaftListener {

    private static final Logger LOG = LoggerFactory.getLogger(RoleTracker.class);
    /** Past the deadline, so the check surely sees it lapsed unless it was extended. */
    private static final long LAPSE_CHECK_SLACK_NANOS = 1_000_000;

    private final RaftLoop loop;
    private final ApplicationEventPublisher publisher;
    private final RaftExecutors executors;

    /** Role to token of the holds whose grant was published and revocation not yet (timer thread only). */
    private final Map<String, Long> published = new TreeMap<>();

    /** Whether {@link #published} is not empty, for the state-change thread. */
    private volatile boolean anyPublished;

    private ScheduledFuture<?> lapseCheck;
    private volatile boolean started;

    public RoleTracker(RaftLoop loop, ApplicationEventPublisher publisher, RaftExecutors executors) {
        this.loop = loop;
        this.publisher = publisher;
        this.executors = executors;
    }

    /** Starts watching: call after the loop started. */
    public synchronized void start() {
        started = true;
        loop.addListener(this);
        executors.timer().execute(() -> check(false));
    }

    /** Publishes the revocation of every role still published as held (a stopped node holds none) and stops watching. */
    public synchronized void stop(Duration drainTimeout) {
        started = false;
        loop.removeListener(this);
        try {
            executors.timer().submit(() -> check(true)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("Final role check failed: {}", e.toString());
        }
        executors.drainEvents(drainTimeout);
    }

    @Override
    public void onStateChange(RaftStatus previous, RaftStatus current) {
        // Most state changes of a node without roles concern none: skip the timer hop for them.
        if (previous.roles().isEmpty() && current.roles().isEmpty() && !anyPublished) {
            return;
        }
        try {
            executors.timer().execute(() -> check(false));
        } catch (RuntimeException e) {
            LOG.trace("Role check not scheduled: {}", e.toString());
        }
    }

    /** Compares the roles held now with those published and publishes the differences. */
    void check(boolean stopping) {
        RaftStatus s = loop.status();
        long now = System.nanoTime();
        Map<String, Long> holding = new TreeMap<>();
        long earliestDeadline = Long.MAX_VALUE;
        boolean anyHeld = false;
        if (!stopping) {
            for (RoleLease lease : s.roles().values()) {
                if (lease.holdsAt(now)) {
                    holding.put(lease.role(), lease.token());
                    if (!anyHeld || lease.validUntilNanos() - earliestDeadline < 0) {
                        earliestDeadline = lease.validUntilNanos();
                    }
                    anyHeld = true;
                }
            }
        }
        for (Iterator<Map.Entry<String, Long>> it = published.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Long> e = it.next();
            Long token = holding.get(e.getKey());
            if (token == null || token.longValue() != e.getValue()) {
                it.remove();
                LOG.info("Node {}: role '{}' revoked (token {})", s.nodeId(), e.getKey(), e.getValue());
                publish(new RoleRevokedEvent(s.nodeId(), e.getKey(), e.getValue()));
            }
        }
        holding.forEach((role, token) -> {
            if (!published.containsKey(role)) {
                published.put(role, token);
                LOG.info("Node {}: role '{}' granted (token {})", s.nodeId(), role, token);
                publish(new RoleGrantedEvent(s.nodeId(), role, token));
            }
        });
        anyPublished = !published.isEmpty();
        cancelLapseCheck();
        if (anyHeld && started) {
            long delay = Math.max(0, earliestDeadline - now) + LAPSE_CHECK_SLACK_NANOS;
            try {
                lapseCheck = executors.timer().schedule(() -> check(false), delay, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                LOG.trace("Role lapse check not scheduled, the node is shut down");
            }
        }
    }

    private void cancelLapseCheck() {
        if (lapseCheck != null) {
            lapseCheck.cancel(false);
            lapseCheck = null;
        }
    }

    private void publish(RaftRoleEvent event) {
        executors.dispatch(() -> publisher.publishEvent(event));
    }
}
