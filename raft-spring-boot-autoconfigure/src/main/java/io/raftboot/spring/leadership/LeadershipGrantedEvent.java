package io.raftboot.spring.leadership;

/**
 * This node became leader of {@link #getTerm() the term} and held a valid lease when the event was
 * published. It is delivered later, on the Raft event thread ({@code raft-events-<node>}), after
 * the events queued before it: {@link LeadershipService#isLeader()} may be false again by then
 * (lease lapsed, leadership lost). Read {@link LeadershipService#lease()} and compare its term with
 * the event's before acting. Published on the leader only.
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
