package io.raftboot.core.sim;

import io.raftboot.core.node.RaftNode;
import io.raftboot.core.node.Role;
import io.raftboot.core.sim.InvariantChecker.InvariantViolation;
import java.util.List;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * Leader stability (thesis §4.2.3 and §9.6, leader stickiness with pre-vote and check-quorum): a
 * leader that a majority of voters has heard steadily is never deposed by the rest. The check
 * runs after every event of the simulation but only claims anything in a <em>protected
 * stretch</em>, one the simulation can prove harmless:
 *
 * <ul>
 *   <li>no message loss anywhere (a loss burst may rightly cost the leader its quorum);</li>
 *   <li>no leadership transfer or step-down under way, no crash-fast report about a node's
 *       leader delivered (a report lifts that voter's stickiness, by design);</li>
 *   <li>no node that can hear the leader, or is crashed (its durable term), has a term above
 *       the leader's: such a node deposes the leader as soon as it hears it, correctly (§5.1).
 *       With pre-vote, no node at all: it rises only by an election a majority allowed;</li>
 *   <li>with check-quorum, a majority of voters (the leader included) has been up and linked to
 *       the leader both ways; the others may be crashed, partitioned, cut off one way, or
 *       flapping. Without check-quorum voters are not sticky, so every node must be. (Without
 *       pre-vote a node of a partition comes back with a higher term and deposes the leader by
 *       design, {@code ElectionTest.withoutPreVoteARejoiningNodeForcesTheClusterTermUp}: the
 *       stretch ends when the leader's link to such a node heals.)</li>
 * </ul>
 *
 * <p>and all of it has held for {@code settle} virtual time: an election timeout of the slowest
 * clock plus two message delays, so every voter of the majority heard the leader since and stale
 * messages of the disturbance are gone. If the leader, up in the same incarnation, is no longer
 * leader of its term right after such a stretch, or (with pre-vote) any node reached a higher
 * term, stability is broken.
 */
final class StabilityChecker {

    /** What the checker needs to know of a node. */
    record NodeState(String id, boolean voter, boolean up, int incarnation, RaftNode raft, long durableTerm) {}

    private record Guard(String leader, int incarnation, long term, int majority) {}

    private final boolean preVote;
    private final boolean minorityFaultsAllowed;
    private final long settle;
    private final long maxLatency;
    /** Per node: since when the leader's link to it has been down (messages sent before may still arrive for maxLatency). */
    private final TreeMap<String, Long> deafSince = new TreeMap<>();

    private final int quorum;
    /** Per node: since when it has been up (this incarnation) and linked both ways to the leader; absent if not. */
    private final TreeMap<String, long[]> connectedSince = new TreeMap<>(); // {since, incarnation}

    private String leader;
    private int leaderIncarnation;
    private long leaderTerm = -1;
    private long disturbedAt;
    private Guard guard;
    private long protectedSince = -1;
    private long protectedTime;
    private int protectedStretches;

    StabilityChecker(boolean preVote, boolean checkQuorum, long settle, long maxLatency, int quorum) {
        this.maxLatency = maxLatency;
        this.preVote = preVote;
        this.minorityFaultsAllowed = checkQuorum;
        this.settle = settle;
        this.quorum = quorum;
    }

    /** Something that may rightly move leadership happened (a transfer, a crash-fast report about a leader). */
    void disturb(long now) {
        disturbedAt = now;
        guard = null;
    }

    /**
     * Called after every event with the cluster's state: first checks that the stretch protected
     * before this event still has its leader, then decides whether the next one is protected.
     *
     * @param linked whether the directed link from the first node to the second delivers
     */
    void afterEvent(
            long now,
            List<NodeState> nodes,
            RaftNode currentLeader,
            boolean lossy,
            BiPredicate<String, String> linked) {
        if (guard != null) {
            for (NodeState n : nodes) {
                if (n.id().equals(guard.leader())
                        && n.up()
                        && n.incarnation() == guard.incarnation()
                        && (n.raft().role() != Role.LEADER || n.raft().term() != guard.term())) {
                    throw violation("lost its leadership: now " + n.raft().role() + " of term "
                            + n.raft().term());
                }
                if (preVote && n.up() && n.raft().term() > guard.term()) {
                    throw violation(
                            "but " + n.id() + " reached term " + n.raft().term() + " ("
                                    + n.raft().role() + "): a pre-vote won against a majority that hears its leader");
                }
            }
        }
        guard = null;
        if (currentLeader == null) {
            resetLeader(null, 0, -1, now);
            return;
        }
        NodeState l = null;
        for (NodeState n : nodes) {
            if (n.id().equals(currentLeader.id())) {
                l = n;
            }
        }
        if (!currentLeader.id().equals(leader)
                || l.incarnation() != leaderIncarnation
                || currentLeader.term() != leaderTerm) {
            resetLeader(currentLeader.id(), l.incarnation(), currentLeader.term(), now);
        }
        boolean disturbed = lossy || currentLeader.isTransferringLeadership();
        int steady = 1; // the leader
        boolean everyoneSteady = true;
        for (NodeState n : nodes) {
            long term = n.up() ? n.raft().term() : n.durableTerm();
            if (!n.up() || linked.test(leader, n.id())) {
                deafSince.remove(n.id());
            } else {
                deafSince.putIfAbsent(n.id(), now);
            }
            // Without pre-vote a higher term is harmless only at a node the leader's messages no
            // longer reach, including those in flight when its link went down.
            Long deaf = deafSince.get(n.id());
            disturbed |= term > leaderTerm && (preVote || deaf == null || now - deaf <= maxLatency);
            if (n.id().equals(leader)) {
                continue;
            }
            long[] since = connectedSince.get(n.id());
            if (n.up() && linked.test(leader, n.id()) && linked.test(n.id(), leader)) {
                if (since == null || since[1] != n.incarnation()) {
                    since = new long[] {now, n.incarnation()};
                    connectedSince.put(n.id(), since);
                }
            } else {
                connectedSince.remove(n.id());
                since = null;
            }
            boolean steadyNow = since != null && now - since[0] >= settle;
            everyoneSteady &= steadyNow;
            if (steadyNow && n.voter()) {
                steady++;
            }
        }
        if (disturbed || (minorityFaultsAllowed ? steady < quorum : !everyoneSteady)) {
            disturbedAt = now;
        }
        if (now - disturbedAt >= settle) {
            guard = new Guard(leader, leaderIncarnation, leaderTerm, steady);
            if (protectedSince < 0) {
                protectedSince = now;
                protectedStretches++;
            }
        } else {
            endProtectedStretch(now);
        }
    }

    private InvariantViolation violation(String what) {
        return new InvariantViolation("stability: " + guard.leader() + ", leader of term " + guard.term()
                + " steadily in touch with " + guard.majority() + " voters (itself included, quorum " + quorum
                + ") with no transfer, crash-fast report about a leader, message loss or higher term for a while, "
                + what);
    }

    private void resetLeader(String id, int incarnation, long term, long now) {
        endProtectedStretch(now);
        leader = id;
        leaderIncarnation = incarnation;
        leaderTerm = term;
        connectedSince.clear();
        deafSince.clear();
        disturbedAt = now;
    }

    private void endProtectedStretch(long now) {
        if (protectedSince >= 0) {
            protectedTime += now - protectedSince;
            protectedSince = -1;
        }
    }

    /** Virtual time spent in protected stretches so far (for the record of how much was checked). */
    long protectedTime() {
        return protectedTime;
    }

    int protectedStretches() {
        return protectedStretches;
    }
}
