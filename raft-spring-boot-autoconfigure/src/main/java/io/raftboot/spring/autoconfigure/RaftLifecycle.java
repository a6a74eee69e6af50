package io.raftboot.spring.autoconfigure;

import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.node.Role;
import io.raftboot.spring.grpc.GrpcTransport;
import io.raftboot.spring.grpc.PendingReplies;
import io.raftboot.spring.grpc.RaftGrpcServer;
import io.raftboot.spring.leadership.LeadershipTracker;
import io.raftboot.spring.leadership.RoleTracker;
import io.raftboot.spring.roles.RoleOffers;
import io.raftboot.spring.support.RaftExecutors;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Starts and stops the node with the application context, at phase
 * {@code Integer.MAX_VALUE - 1000}: after the web server (and after everything in the default
 * phase), so beans that react to leadership are ready before the first election.
 *
 * <p>Stop: a leader first hands leadership to the most up-to-date voter (TimeoutNow, thesis
 * §3.10) and waits until it no longer leads, at most {@code raft.shutdown.handoff-timeout}, so the
 * cluster does not wait an election timeout for a new leader; then the loop stops (publishing the
 * revocation), the peer channels close and waiting server calls are failed.
 *
 * <p>The handoff starts on {@link ContextClosedEvent}, before any lifecycle bean stops: net.devh's
 * gRPC server (phase {@code Integer.MAX_VALUE}, which starts a moment after the loop and stops
 * before it) still answers then, so the successor's vote request reaches this node, which steps
 * down at once, and the shutdown does not wait for the server's stop before handing over.
 * {@link #stop()} hands off too, for a stop without a context close.
 *
 * <p>Named roles (issue 16) move first: before the leadership handoff this node withdraws its
 * offer of every role and waits, at most the role handoff timeout, until the configuration names
 * it for no role, so the leader, which may be this node, reassigns them while it still leads.
 */
public class RaftLifecycle implements SmartLifecycle, ApplicationListener<ContextClosedEvent>, ApplicationContextAware {

    public static final int PHASE = Integer.MAX_VALUE - 1000;

    private static final Logger LOG = LoggerFactory.getLogger(RaftLifecycle.class);

    private final RaftLoop loop;
    private final LeadershipTracker tracker;
    private final GrpcTransport transport;
    private final PendingReplies pending;
    private final Duration handoffTimeout;
    private final RaftExecutors executors;
    private final Duration reconnectPeriod;
    private final RaftGrpcServer server;
    private volatile boolean running;
    private volatile boolean handedOff;
    private ScheduledFuture<?> reconnecting;
    private RoleTracker roleTracker;
    private RoleOffers roleOffers;
    private Duration roleHandoffTimeout = Duration.ZERO;
    private volatile boolean rolesHandedOff;
    private ApplicationContext context;

    /**
     * @param transport the gRPC transport to connect and close, or {@code null} if another Transport is used
     * @param server the starter's own gRPC server, or {@code null} when the application's server serves Raft
     */
    public RaftLifecycle(
            RaftLoop loop,
            LeadershipTracker tracker,
            GrpcTransport transport,
            PendingReplies pending,
            Duration handoffTimeout,
            RaftExecutors executors,
            Duration reconnectPeriod,
            RaftGrpcServer server) {
        this.server = server;
        this.executors = executors;
        this.reconnectPeriod = reconnectPeriod;
        this.loop = loop;
        this.tracker = tracker;
        this.transport = transport;
        this.pending = pending;
        this.handoffTimeout = handoffTimeout;
    }

    /**
     * Named roles: events for the roles held here, and this node's offer of roles.
     *
     * @param tracker publishes the role events, or {@code null}
     * @param offers offers the roles and withdraws them on shutdown, or {@code null}
     * @param handoffTimeout how long a shutdown waits for the roles to leave this node
     */
    public void withRoles(RoleTracker tracker, RoleOffers offers, Duration handoffTimeout) {
        this.roleTracker = tracker;
        this.roleOffers = offers;
        this.roleHandoffTimeout = handoffTimeout;
    }

    @Override
    public void start() {
        if (running) {
            return;
        }
        if (server != null) {
            // Peers are accepted before this node campaigns: its vote requests' answers and a
            // leader's first appends find it listening.
            server.start();
        }
        if (transport != null) {
            transport.connect();
            reconnecting = executors.every(reconnectPeriod, transport::keepConnected);
        }
        loop.start();
        tracker.start();
        if (roleTracker != null) {
            roleTracker.start();
        }
        handedOff = false;
        rolesHandedOff = false;
        running = true;
        if (roleOffers != null) {
            roleOffers.start();
        }
    }

    @Override
    public void setApplicationContext(ApplicationContext context) {
        this.context = context;
    }

    /** The context closes: hand leadership over while every bean, the gRPC server included, still runs. */
    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        // A child context (say, a separate management server) closing is not our shutdown.
        if (event.getApplicationContext() == context && running) {
            handOffRoles();
            handOffLeadership();
            // The successor leads now; its Replicate stream to this node would hold a shared
            // server's stop (which comes before ours) for the server's whole grace.
            pending.refuseStreamsStopping(loop.nodeId());
        }
    }

    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        handOffRoles();
        handOffLeadership();
        loop.close();
        tracker.stop(Duration.ofSeconds(5));
        if (roleTracker != null) {
            roleTracker.stop(Duration.ofSeconds(5));
        }
        if (reconnecting != null) {
            reconnecting.cancel(false);
        }
        if (transport != null) {
            transport.close();
        }
        pending.failAllStopping(loop.nodeId());
        if (server != null) {
            // Last: the handoff above needed it to answer the successor's vote request.
            server.stop();
        }
    }

    /** Withdraws this node's roles and waits, bounded, until the configuration names it for none. */
    private synchronized void handOffRoles() {
        if (rolesHandedOff || roleOffers == null || roleOffers.roles().isEmpty() || !loop.isRunning()) {
            return;
        }
        rolesHandedOff = true;
        long started = System.nanoTime();
        boolean moved = roleOffers.withdrawAndWait(roleHandoffTimeout);
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (moved) {
            LOG.info(
                    "Node {} withdrew its roles before stopping; no role is assigned to it ({} ms)",
                    loop.nodeId(),
                    millis);
        } else {
            LOG.warn(
                    "Node {}: roles {} still assigned to it after {} ms; stopping anyway, the leader reassigns them"
                            + " once their leases ran out",
                    loop.nodeId(),
                    loop.status().membership().rolesHeldBy(loop.nodeId()).keySet(),
                    millis);
        }
    }

    private synchronized void handOffLeadership() {
        if (handedOff || handoffTimeout.isZero() || loop.status().role() != Role.LEADER || !loop.isRunning()) {
            return;
        }
        handedOff = true;
        LOG.info(
                "Node {} is leader in term {}: handing leadership over before stopping (at most {} ms)",
                loop.nodeId(),
                loop.status().term(),
                handoffTimeout.toMillis());
        try {
            String successor = loop.stepDown().get(handoffTimeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info(
                    "Node {} handed leadership to {}",
                    loop.nodeId(),
                    successor == null ? "nobody (no other voter)" : successor);
        } catch (TimeoutException e) {
            LOG.warn(
                    "Node {}: leadership handoff did not complete within raft.shutdown.handoff-timeout ({} ms); stopping anyway,"
                            + " the others elect a leader after an election timeout",
                    loop.nodeId(),
                    handoffTimeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("Node {}: leadership handoff failed ({}); stopping anyway", loop.nodeId(), e.getMessage());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
