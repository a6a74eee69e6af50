package io.raftboot.spring.membership;

import io.raftboot.core.node.Membership;

/** What a node that asked to join the cluster is told ({@link JoinHandler}). */
public sealed interface JoinOutcome {

    /**
     * The node is a member, added now or before.
     *
     * @param index the log index of a configuration that lists it
     * @param membership the configuration in force at the leader
     */
    record Joined(long index, Membership membership) implements JoinOutcome {}

    /**
     * The receiver is not the leader.
     *
     * @param leaderId the leader it knows of, or {@code null}
     * @param membership the configuration in force at the receiver, so the joiner can reach that leader
     */
    record NotLeader(String leaderId, Membership membership) implements JoinOutcome {}

    /** The leader cannot change members now (another change is not committed yet, it just lost leadership); ask again. */
    record Retry(String reason) implements JoinOutcome {}

    /** The receiver will never add the node as configured (auto-join is off there, the request is invalid). */
    record Refused(String reason) implements JoinOutcome {}
}
