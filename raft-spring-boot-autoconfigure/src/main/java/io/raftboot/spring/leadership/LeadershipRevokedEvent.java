package io.raftboot.spring.leadership;

/**
 * This node stopped being leader, or its lease lapsed: {@link LeadershipService#isLeader()} is
 * false when the event is delivered. Published only on a node that had been granted leadership.
 */
public class LeadershipRevokedEvent extends RaftLeadershipEvent {

    public LeadershipRevokedEvent(String nodeId, long term) {
        super(nodeId, term);
    }

    @Override
    public String toString() {
        return "LeadershipRevokedEvent[node=" + getNodeId() + ", term=" + getTerm() + "]";
    }
}
