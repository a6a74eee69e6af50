package io.raftboot.spring.leadership;

/**
 * A new leadership became known to this node: {@link #getLeaderId()} leads in
 * {@link #getTerm()}. Published on every node, once per (leader, term).
 */
public class LeaderChangedEvent extends RaftLeadershipEvent {

    private final String leaderId;
    private final String previousLeaderId;

    public LeaderChangedEvent(String nodeId, long term, String leaderId, String previousLeaderId) {
        super(nodeId, term);
        this.leaderId = leaderId;
        this.previousLeaderId = previousLeaderId;
    }

    /** The new leader's id. */
    public String getLeaderId() {
        return leaderId;
    }

    /** The leader this node knew before, or {@code null}. */
    public String getPreviousLeaderId() {
        return previousLeaderId;
    }

    /** Whether this node is the new leader. */
    public boolean isLocal() {
        return leaderId.equals(getNodeId());
    }

    @Override
    public String toString() {
        return "LeaderChangedEvent[node=" + getNodeId() + ", term=" + getTerm() + ", leader=" + leaderId + ", previous="
                + previousLeaderId + "]";
    }
}
