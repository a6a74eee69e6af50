package io.raftboot.spring.membership;

import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.loop.RaftStatus;
import io.raftboot.core.node.NotLeaderException;
import io.raftboot.core.node.Role;
import java.util.concurrent.CompletableFuture;

/**
 * Answers a node that asks to join (raft.membership.auto-join) by adding it as a learner that the
 * leader promotes once caught up (thesis §4.2.1: a new server catches up before it counts in a
 * quorum, so adding it never stalls commitment). The caller has proven the id it asks for
 * (ClusterGuard#checkJoin); this class decides only what the membership allows. Adding is
 * idempotent: a member that asks again is told it is one.
 */
public final class JoinHandler {

    private final RaftLoop loop;
    private final MembershipService membership;
    private final boolean enabled;

    /** @param enabled raft.membership.auto-join on this node: a cluster adds joiners only where it is on */
    public JoinHandler(RaftLoop loop, MembershipService membership, boolean enabled) {
        this.loop = loop;
        this.membership = membership;
        this.enabled = enabled;
    }

    /** @param address the joiner's gRPC address, host:port (already checked to parse) */
    public CompletableFuture<JoinOutcome> join(String id, String address) {
        RaftStatus s = loop.status();
        if (!enabled) {
            return CompletableFuture.completedFuture(
                    new JoinOutcome.Refused("raft.membership.auto-join is off on node '"
                            + s.nodeId() + "'; turn it on on every member, or add '" + id
                            + "' with the membership operations (docs/operations.md)"));
        }
        if (s.role() != Role.LEADER) {
            return CompletableFuture.completedFuture(new JoinOutcome.NotLeader(s.leaderId(), s.membership()));
        }
        if (s.membership().contains(id)) {
            return CompletableFuture.completedFuture(new JoinOutcome.Joined(s.membershipIndex(), s.membership()));
        }
        return membership.addJoiningLearner(id, address).handle((index, failure) -> {
            if (failure == null) {
                return new JoinOutcome.Joined(index, loop.status().membership());
            }
            Throwable cause = Causes.unwrap(failure);
            RaftStatus now = loop.status();
            if (now.membership().contains(id)) {
                // Another request of the same joiner added it meanwhile.
                return new JoinOutcome.Joined(now.membershipIndex(), now.membership());
            }
            if (cause instanceof NotLeaderException) {
                return new JoinOutcome.NotLeader(now.leaderId(), now.membership());
            }
            if (cause instanceof IllegalArgumentException) {
                return new JoinOutcome.Refused(cause.getMessage());
            }
            return new JoinOutcome.Retry(String.valueOf(cause.getMessage()));
        });
    }
}
