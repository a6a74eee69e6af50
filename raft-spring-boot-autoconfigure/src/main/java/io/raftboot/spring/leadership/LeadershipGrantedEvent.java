package io.raftboot.spring.leadership;

/**
 * This node became leader and holds a valid lease: {@link LeadershipService#isLeader()} is
 * already true when the event is delivered. Published on the leader only.
 */
public class LeadershipGrantedEvent extends RaftLeadershipEvent {

    public LeadershipGrantedEvent(String nodeId, long term) {
        super(nodeId, term);
    }

    @Override
    public String toString() {
        return "LeadershipGrantedEvent[node=" + getNodeId() + ", term=" + getTerm() + "]";
    }
}
