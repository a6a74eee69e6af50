package io.raftboot.spring.config;

/** How fresh a read of the {@link ReplicatedConfig} must be. */
public enum ReadConsistency {

    /**
     * This node's applied state, at once, without asking anyone. May lag the leader by the
     * replication delay (usually a heartbeat), and on a partitioned node by much more; never
     * goes back in time on one node.
     */
    LOCAL,

    /**
     * Reflects every write committed before the read started, on any node: the leader confirms
     * its leadership with a quorum (ReadIndex, Raft thesis §6.4), and this node waits until it
     * has applied up to that point. Costs a round trip to the leader; fails when no leader is
     * known within {@code raft.write-timeout}.
     */
    LINEARIZABLE
}
