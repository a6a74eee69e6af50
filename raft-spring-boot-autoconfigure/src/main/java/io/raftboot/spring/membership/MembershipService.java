package io.raftboot.spring.membership;

import java.util.concurrent.CompletableFuture;

/**
 * Changes the members of the running cluster (thesis §4.1: one voter at a time, through the
 * replicated log), and shows them. Call it on any node: a change is made by the leader, and
 * fails with {@link io.raftboot.core.node.NotLeaderException} (naming the leader) elsewhere.
 * Every future completes with the log index of the new configuration once it is committed,
 * except {@link #addVoter}'s, which completes once the new member is a voter of the configuration in
 * force on this node (on the leader its entry commits a round trip later). A change that must
 * wait (another change is not committed yet; a new leader has not committed an entry of its term)
 * is retried until {@code raft.write-timeout}; one that cannot apply fails at once with
 * {@link IllegalArgumentException} saying why. See docs/operations.md for the procedures.
 */
public interface MembershipService {

    /** The configuration in force on this node. */
    Members members();

    /**
     * Adds a member that replicates the log and votes once caught up: it joins as a learner and
     * the leader promotes it when its log is within one append of the leader's (§4.2.1).
     * Completes when it is a voter; fails after {@code raft.membership.catch-up-timeout} if it never
     * caught up (it then stays a learner to be promoted: remove it, or fix it and wait).
     *
     * @param address where its gRPC server listens, host:port
     */
    CompletableFuture<Long> addVoter(String id, String address);

    /**
     * Starts adding a voter: adds it as a learner that the leader promotes once caught up, as
     * {@link #addVoter} does, but completes as soon as the learner is added. What the leader does
     * for a node that asks to join (raft.membership.auto-join).
     */
    CompletableFuture<Long> addJoiningLearner(String id, String address);

    /** Adds a member that replicates the log but never votes. */
    CompletableFuture<Long> addLearner(String id, String address);

    /** Makes a learner a voter. */
    CompletableFuture<Long> promote(String id);

    /** Makes a voter a learner. */
    CompletableFuture<Long> demote(String id);

    /** Removes a voter or learner; the leader may remove itself (it steps down once the change commits). */
    CompletableFuture<Long> remove(String id);

    /** Records a member's new address (host:port): the others reconnect to it there. */
    CompletableFuture<Long> changeAddress(String id, String address);
}
