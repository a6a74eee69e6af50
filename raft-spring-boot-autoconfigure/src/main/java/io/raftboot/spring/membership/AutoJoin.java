package io.raftboot.spring.membership;

import io.raftboot.core.loop.RaftLoop;
import io.raftboot.spring.cluster.PeerDirectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * raft.membership.auto-join on the joining side: a node that is not a voter of the configuration
 * it knows (a StatefulSet pod beyond the bootstrap replicas, a replica started with itself as a
 * learner) asks the members, one after the other, to add it, until the leader answers that it
 * is a member. The leader adds it as a learner and promotes it once caught up ({@link
 * JoinHandler}). Each answer carries the configuration in force, which this node learns
 * ({@link PeerDirectory#learn}): it then admits a leader it was never configured with.
 */
public final class AutoJoin implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(AutoJoin.class);

    private final String nodeId;
    private final RaftLoop loop;
    private final PeerDirectory directory;
    private final JoinRequester requester;
    private final Executor later;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private volatile boolean running;
    private volatile boolean joined;
    /** The member to ask next: the leader a member named, else the next in turn. */
    private String hint;

    private int turn;

    /** @param retryInterval the pause before asking again after an answer that is not "joined" */
    public AutoJoin(
            String nodeId, RaftLoop loop, PeerDirectory directory, JoinRequester requester, Duration retryInterval) {
        this.nodeId = nodeId;
        this.loop = loop;
        this.directory = directory;
        this.requester = requester;
        this.later = CompletableFuture.delayedExecutor(retryInterval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Whether the leader answered that this node is a member. */
    public boolean joined() {
        return joined;
    }

    @Override
    public void start() {
        running = true;
        if (loop.status().membership().isVoter(nodeId)) {
            joined = true;
            return;
        }
        LOG.info(
                "Node '{}' is not a voter of the configuration it knows ({}): asking the members to add it"
                        + " (raft.membership.auto-join)",
                nodeId,
                loop.status().membership());
        attempt();
    }

    @Override
    public void stop() {
        running = false;
        requester.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** With the gRPC server, after the Raft loop: the leader reaches this node once it is added. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }

    private void attempt() {
        if (!running || joined) {
            return;
        }
        String target = nextTarget();
        if (target == null) {
            warnOnce("no-members", "Node '{}' knows no other member to ask; check raft.peers", nodeId);
            later.execute(this::attempt);
            return;
        }
        requester.requestJoin(target).whenComplete((outcome, failure) -> {
            if (failure != null) {
                LOG.debug("Join request to '{}' failed: {}", target, failure.toString());
                later.execute(this::attempt);
            } else {
                answered(target, outcome);
            }
        });
    }

    private void answered(String target, JoinOutcome outcome) {
        if (!running) {
            return;
        }
        if (outcome instanceof JoinOutcome.Joined j) {
            directory.learn(j.membership());
            joined = true;
            requester.close();
            LOG.info(
                    "Node '{}' is a member as of log index {}; the leader promotes it to voter once it has caught up",
                    nodeId,
                    j.index());
        } else if (outcome instanceof JoinOutcome.NotLeader n) {
            directory.learn(n.membership());
            boolean redirect = n.leaderId() != null && !n.leaderId().equals(target);
            synchronized (this) {
                hint = redirect ? n.leaderId() : null;
            }
            if (redirect) {
                attempt();
            } else {
                later.execute(this::attempt);
            }
        } else if (outcome instanceof JoinOutcome.Retry r) {
            LOG.debug("Join request to '{}' must wait: {}", target, r.reason());
            later.execute(this::attempt);
        } else if (outcome instanceof JoinOutcome.Refused r) {
            warnOnce(r.reason(), "Node '{}' was refused joining by '{}': {}", nodeId, target, r.reason());
            later.execute(this::attempt);
        }
    }

    private synchronized String nextTarget() {
        if (hint != null) {
            String t = hint;
            hint = null;
            return t;
        }
        List<String> others = new ArrayList<>(directory.knownIds());
        others.remove(nodeId);
        if (others.isEmpty()) {
            return null;
        }
        return others.get(Math.floorMod(turn++, others.size()));
    }

    private void warnOnce(String key, String format, Object... args) {
        if (warned.add(key)) {
            LOG.warn(format + " (logged once)", args);
        }
    }
}
