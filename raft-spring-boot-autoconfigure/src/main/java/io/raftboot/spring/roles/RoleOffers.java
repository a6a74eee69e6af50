package io.raftboot.spring.roles;

import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.node.RoleCandidacy;
import io.raftboot.spring.support.ConditionWaiter;
import io.raftboot.spring.support.RaftExecutors;
import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationListener;

/**
 * What this node offers the leader to hold (issue 16): its named roles, from {@code raft.roles.*}
 * and the role attributes of the application's annotations, and whether it is available for them.
 *
 * <p>It is available once the application accepts traffic (Spring's {@link ReadinessState}), not
 * before: a replica still warming up, or one that its platform stopped sending traffic to, should
 * not run the work of a role either. With {@code raft.availability.require-readiness=false} it is
 * available from {@link #start()} on. On shutdown it withdraws before the Raft leadership is
 * handed over and waits until the configuration names it for no role, so the roles of a rolling
 * restart move while this node still answers. Whether the node campaigns for Raft leadership does
 * not depend on any of this.
 */
public class RoleOffers implements ApplicationListener<AvailabilityChangeEvent<ReadinessState>> {

    private static final Logger LOG = LoggerFactory.getLogger(RoleOffers.class);

    private final RaftLoop loop;
    private final RoleDefinitions definitions;
    private final Supplier<Set<String>> annotatedRoles;
    private final RaftExecutors executors;
    private final Duration yieldPause;
    private final Set<String> yielded = ConcurrentHashMap.newKeySet();

    private volatile SortedMap<String, Integer> roles = Collections.emptySortedMap();
    private volatile boolean ready;
    private volatile boolean started;
    private volatile boolean stopping;

    /**
     * @param annotatedRoles the role names found on the application's beans, read at {@link #start()}
     *     (after every singleton was created)
     * @param yieldPause how long a role given up by {@link #yield(String)} stays withdrawn
     */
    public RoleOffers(
            RaftLoop loop,
            RoleDefinitions definitions,
            Supplier<Set<String>> annotatedRoles,
            RaftExecutors executors,
            Duration yieldPause) {
        this.loop = loop;
        this.definitions = definitions;
        this.annotatedRoles = annotatedRoles;
        this.executors = executors;
        this.yieldPause = yieldPause;
    }

    /** Reads the roles to offer and offers them if this node is available: call after the loop started. */
    public void start() {
        synchronized (this) {
            roles = Collections.unmodifiableSortedMap(definitions.offered(annotatedRoles.get()));
            stopping = false;
            started = true;
        }
        if (!roles.isEmpty()) {
            LOG.info(
                    "Node {} offers roles {}{}",
                    loop.nodeId(),
                    roles,
                    definitions.requireReadiness() ? " once the application accepts traffic" : "");
        }
        offer();
    }

    /** The roles this node offers (name to weight), whether it is available for them or not. */
    public SortedMap<String, Integer> roles() {
        return roles;
    }

    /** Whether the roles are offered as available now. */
    public boolean available() {
        return started && !stopping && (ready || !definitions.requireReadiness());
    }

    @Override
    public void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
        boolean nowReady = event.getState() == ReadinessState.ACCEPTING_TRAFFIC;
        if (nowReady == ready) {
            return;
        }
        ready = nowReady;
        if (started && definitions.requireReadiness() && !roles.isEmpty()) {
            LOG.info(
                    "Node {}: the application {} traffic, {} its roles",
                    loop.nodeId(),
                    nowReady ? "accepts" : "refuses",
                    nowReady ? "offering" : "withdrawing");
            CompletableFuture<Void> offered = offer();
            if (!nowReady) {
                // The roles stop when the loop took the withdrawal: wait for it (bounded), so
                // isLeader(role) is false once this event was published.
                awaitQuietly(offered, yieldPause); // the loop publishes the release before it completes this
            }
        }
    }

    private void awaitQuietly(CompletableFuture<Void> future, Duration timeout) {
        try {
            future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("Node {}: withdrawing the roles: {}", loop.nodeId(), e.toString());
        }
    }

    /**
     * Gives up {@code role} for a while (Spring Integration's {@code Context.yield()}): offers the
     * roles without it, so the leader moves it to another node that offers it, and offers it again
     * after the pause. With no other node offering it, it comes back here after the pause.
     */
    public void yield(String role) {
        if (!roles.containsKey(role) || !yielded.add(role)) {
            return;
        }
        LOG.info("Node {} yields role '{}' for {} ms", loop.nodeId(), role, yieldPause.toMillis());
        awaitQuietly(offer(), yieldPause);
        try {
            executors
                    .timer()
                    .schedule(
                            () -> {
                                yielded.remove(role);
                                offer();
                            },
                            yieldPause.toNanos(),
                            TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Role '{}' not offered again, the node is shut down", role);
        }
    }

    /**
     * Withdraws every role and waits, at most {@code timeout}, until the configuration this node
     * knows names it for no role any more (the leader revoked them; it then gives them to the
     * other nodes that offer them).
     *
     * @return whether the configuration names this node for no role within the timeout
     */
    public boolean withdrawAndWait(Duration timeout) {
        stopping = true;
        if (roles.isEmpty() || !loop.isRunning()) {
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            offer().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            new ConditionWaiter(executors, Duration.ofMillis(5))
                    .await(this::holdsNoGrant, deadline, null)
                    .get(Math.max(0, deadline - System.nanoTime()) + 50_000_000L, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("Node {}: withdrawing the roles: {}", loop.nodeId(), e.toString());
        }
        return holdsNoGrant();
    }

    private boolean holdsNoGrant() {
        return loop.status().membership().rolesHeldBy(loop.nodeId()).isEmpty();
    }

    /** Sends the current offer to the loop; offers are sent in the order they are made. */
    synchronized CompletableFuture<Void> offer() {
        if (!started || roles.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        SortedMap<String, Integer> offered = new TreeMap<>(roles);
        offered.keySet().removeAll(yielded);
        RoleCandidacy candidacy = new RoleCandidacy(available(), offered);
        return loop.offerRoles(candidacy).whenComplete((v, e) -> {
            if (e != null) {
                LOG.debug("Node {}: role offer {} not taken: {}", loop.nodeId(), candidacy, e.toString());
            }
        });
    }
}
