package io.raftboot.core.node;

/** A node's role (Raft paper §5.1). These names are part of the {@code /actuator/raft} contract. */
public enum Role {
    LEADER,
    CANDIDATE,
    FOLLOWER,
    LEARNER
}
