package io.raftboot.spring.leadership;

import io.raftboot.core.loop.RaftListener;
import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.loop.RaftStatus;
import io.raftboot.core.node.Role;
import io.raftboot.spring.support.RaftExecutors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Turns the Raft loop's status into leadership transitions and publishes them: Spring events,
 * then {@link LeadershipListener} callbacks, on the event thread, in order.
 *
 * <p>"Leader" here means what {@link LeadershipService#isLeader()} means: the role is LEADER
 * <em>and</em> the lease is valid. A new leader's lease starts only once a majority acknowledged
 * its first heartbeat, and a lease can lapse without any role change (a partitioned leader), so
 * the status is checked on every loop state change (which includes a lease starting or lapsing)
 * and, while this node leads, again when its lease would run out: one wake-up per lease, not per
 * tick, on an idle node. The granted event is published only after {@code isLeader()} was seen
 * true; the revoked event as soon as it was seen false.
 */
public final class LeadershipTracker implements RaftListener {

    private static final Logger LOG = LoggerFactory.getLogger(LeadershipTracker.class);
    /** Past the lease's end, so the check surely sees it lapsed unless it was extended. */
    private static final long LEASE_CHECK_SLACK_NANOS = 1_000_000;

    private final RaftLoop loop;
    private final ApplicationEventPublisher publisher;
    private final RaftExecutors executors;
    private final Supplier<List<LeadershipListener>> beanListeners;
    private final List<LeadershipListener> listeners = new CopyOnWriteArrayList<>();
    private final List<CompletableFuture<String>> leaderWaiters = new CopyOnWriteArrayList<>();

    // Written only on the timer thread (check() is only run there).
    private boolean leader;
    private long grantedTerm;
    private String lastLeader;
    private long lastLeaderTerm = -1;
    private volatile boolean isLeaderPublished;
    private volatile long leaderlessSinceNanos = System.nanoTime();
    /** The check at the end of the current lease (timer thread only, and stop()). */
    private ScheduledFuture<?> leaseCheck;

    private volatile boolean started;

    /**
     * @param beanListeners the {@link LeadershipListener} beans, resolved lazily
     */
    public LeadershipTracker(
            RaftLoop loop,
            ApplicationEventPublisher publisher,
            RaftExecutors executors,
            Supplier<List<LeadershipListener>> beanListeners) {
        this.loop = loop;
        this.publisher = publisher;
        this.executors = executors;
        this.beanListeners = beanListeners;
    }

    /** Starts watching: call after the loop started. */
    public synchronized void start() {
        started = true;
        loop.addListener(this);
        executors.timer().execute(this::check);
    }

    /** Publishes the final transitions (a stopped node leads nothing) and stops watching. */
    public synchronized void stop(Duration drainTimeout) {
        started = false;
        loop.removeListener(this);
        try {
            executors
                    .timer()
                    .submit(() -> {
                        cancelLeaseCheck();
                        check();
                    })
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("Final leadership check failed: {}", e.toString());
        }
        executors.drainEvents(drainTimeout);
    }

    @Override
    public void onStateChange(RaftStatus previous, RaftStatus current) {
        try {
            executors.timer().execute(this::check);
        } catch (RuntimeException e) {
            LOG.trace("Leadership check not scheduled: {}", e.toString());
        }
    }

    public void addListener(LeadershipListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(LeadershipListener listener) {
        listeners.remove(listener);
    }

    /** A future completed with the leader's id as soon as one is known. */
    public CompletableFuture<String> whenLeaderKnown() {
        CompletableFuture<String> f = new CompletableFuture<>();
        String known = loop.status().leaderId();
        if (known != null) {
            f.complete(known);
            return f;
        }
        leaderWaiters.add(f);
        f.whenComplete((v, e) -> leaderWaiters.remove(f));
        return f;
    }

    /** Whether the granted event was published and the revoked one not yet. */
    public boolean isLeaderPublished() {
        return isLeaderPublished;
    }

    /**
     * Milliseconds since this node last knew of a working leader (a follower with a leader id, or
     * itself as a leader with a lease), or 0 while it knows one.
     */
    public long leaderlessMillis() {
        long since = leaderlessSinceNanos;
        return since == Long.MIN_VALUE ? 0 : (System.nanoTime() - since) / 1_000_000;
    }

    /** Compares the loop's status with what was last published and publishes the differences. */
    void check() {
        RaftStatus s = loop.status();
        boolean holds = s.holdsLease();
        if (!holds && leader) {
            leader = false;
            isLeaderPublished = false;
            long term = grantedTerm;
            LOG.info("Node {}: leadership revoked (term {}, now {} in term {})", s.nodeId(), term, s.role(), s.term());
            publish(new LeadershipRevokedEvent(s.nodeId(), term), l -> l.onLeadershipRevoked(term));
        }
        String leaderId = s.leaderId();
        if (leaderId != null && (!leaderId.equals(lastLeader) || s.term() != lastLeaderTerm)) {
            String previous = lastLeader;
            lastLeader = leaderId;
            lastLeaderTerm = s.term();
            long term = s.term();
            publish(
                    new LeaderChangedEvent(s.nodeId(), term, leaderId, previous),
                    l -> l.onLeaderChanged(leaderId, term));
            for (CompletableFuture<String> waiter : new ArrayList<>(leaderWaiters)) {
                waiter.complete(leaderId);
            }
        }
        if (holds && !leader) {
            leader = true;
            isLeaderPublished = true;
            grantedTerm = s.term();
            long term = s.term();
            LOG.info("Node {}: leadership granted in term {}", s.nodeId(), term);
            publish(new LeadershipGrantedEvent(s.nodeId(), term), l -> l.onLeadershipGranted(term));
        }
        boolean knowsLeader = leaderId != null && (s.role() != Role.LEADER || holds);
        if (knowsLeader) {
            leaderlessSinceNanos = Long.MIN_VALUE;
        } else if (leaderlessSinceNanos == Long.MIN_VALUE) {
            leaderlessSinceNanos = System.nanoTime();
        }
        cancelLeaseCheck();
        if (holds && started) {
            // The lease lapses without a loop iteration if the loop is stuck (a hung disk): look
            // again just after it would run out; a lease extended meanwhile is checked at its new end.
            long delay = Math.max(0, s.leaseValidUntilNanos() - System.nanoTime()) + LEASE_CHECK_SLACK_NANOS;
            try {
                leaseCheck = executors.timer().schedule(this::check, delay, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                LOG.trace("Lease check not scheduled, the node is shut down");
            }
        }
    }

    private void cancelLeaseCheck() {
        if (leaseCheck != null) {
            leaseCheck.cancel(false);
            leaseCheck = null;
        }
    }

    private void publish(RaftLeadershipEvent event, java.util.function.Consumer<LeadershipListener> callback) {
        executors.dispatch(() -> {
            publisher.publishEvent(event);
            for (LeadershipListener l : beanListeners.get()) {
                invoke(l, callback);
            }
            for (LeadershipListener l : listeners) {
                invoke(l, callback);
            }
        });
    }

    private static void invoke(LeadershipListener listener, java.util.function.Consumer<LeadershipListener> callback) {
        try {
            callback.accept(listener);
        } catch (RuntimeException e) {
            LOG.warn("LeadershipListener {} failed", listener, e);
        }
    }
}
