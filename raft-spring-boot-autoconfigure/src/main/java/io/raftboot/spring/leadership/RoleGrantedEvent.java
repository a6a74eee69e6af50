package io.raftboot.spring.leadership;

/**
 * This node was granted a named role and held it when the event was published; delivered later,
 * on the Raft event thread, after the events queued before it, so the role may have moved on by
 * then. Read {@link LeadershipService#roleLease(String)} and compare its token with the event's
 * before acting. Published on the holder only.
 */
public class RoleGrantedEvent extends RaftRoleEvent {

    public RoleGrantedEvent(String nodeId, String role, long token) {
        super(nodeId, role, token);
    }

    @Override
    public String toString() {
        return "RoleGrantedEvent[node=" + getNodeId() + ", role=" + getRole() + ", token=" + getToken() + "]";
    }
}
