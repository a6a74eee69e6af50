package io.raftboot.spring.autoconfigure;

import io.grpc.Status;
import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.node.Role;
import io.raftboot.spring.grpc.GrpcTransport;
import io.raftboot.spring.grpc.PendingReplies;
import io.raftboot.spring.leadership.LeadershipTracker;
import io.raftboot.spring.support.RaftExecutors;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

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
 * <p>net.devh's gRPC server runs at phase {@code Integer.MAX_VALUE}: it starts a moment after
 * the loop (Raft tolerates the messages lost meanwhile) and stops before it. The handoff does not
 * need it: this node's requests and their replies travel on its own client channels.
 */
public class RaftLifecycle implements SmartLifecycle {

    public static final int PHASE = Integer.MAX_VALUE - 1000;

    private static final Logger LOG = LoggerFactory.getLogger(RaftLifecycle.class);

    private final RaftLoop loop;
    private final LeadershipTracker tracker;
    private final GrpcTransport transport;
    private final PendingReplies pending;
    private final Duration handoffTimeout;
    private final RaftExecutors executors;
    private final Duration reconnectPeriod;
    private volatile boolean running;
    private ScheduledFuture<?> reconnecting;

    /** @param transport the gRPC transport to connect and close, or {@code null} if another Transport is used */
    public RaftLifecycle(RaftLoop loop, LeadershipTracker tracker, GrpcTransport transport, PendingReplies pending,
                         Duration handoffTimeout, RaftExecutors executors, Duration reconnectPeriod) {
        this.executors = executors;
        this.reconnectPeriod = reconnectPeriod;
        this.loop = loop;
        this.tracker = tracker;
        this.transport = transport;
        this.pending = pending;
        this.handoffTimeout = handoffTimeout;
    }

    @Override
    public void start() {
        if (running) {
            return;
        }
        if (transport != null) {
            transport.connect();
            reconnecting = executors.every(reconnectPeriod, transport::keepConnected);
        }
        loop.start();
        tracker.start();
        running = true;
    }

    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        handOffLeadership();
        loop.close();
        tracker.stop(Duration.ofSeconds(5));
        if (reconnecting != null) {
            reconnecting.cancel(false);
        }
        if (transport != null) {
            transport.close();
        }
        pending.failAll(Status.UNAVAILABLE.withDescription("node '" + loop.nodeId() + "' is stopping"));
    }

    private void handOffLeadership() {
        if (handoffTimeout.isZero() || loop.status().role() != Role.LEADER || !loop.isRunning()) {
            return;
        }
        LOG.info("Node {} is leader in term {}: handing leadership over before stopping (at most {} ms)",
                loop.nodeId(), loop.status().term(), handoffTimeout.toMillis());
        try {
            String successor = loop.stepDown().get(handoffTimeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("Node {} handed leadership to {}", loop.nodeId(), successor == null ? "nobody (no other voter)" : successor);
        } catch (TimeoutException e) {
            LOG.warn("Node {}: leadership handoff did not complete within raft.shutdown.handoff-timeout ({} ms); stopping anyway,"
                    + " the others elect a leader after an election timeout", loop.nodeId(), handoffTimeout.toMillis());
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
