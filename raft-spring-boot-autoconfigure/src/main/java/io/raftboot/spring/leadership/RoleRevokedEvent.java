package io.raftboot.spring.leadership;

/**
 * This node stopped holding a named role (it was moved, released, withdrawn, its proof lapsed,
 * or the node stops): {@link LeadershipService#isLeader(String)} was false for this hold from
 * that moment on. Published only on a node that had been granted the role.
 */
public class RoleRevokedEvent extends RaftRoleEvent {

    public RoleRevokedEvent(String nodeId, String role, long token) {
        super(nodeId, role, token);
    }

    @Override
    public String toString() {
        return "RoleRevokedEvent[node=" + getNodeId() + ", role=" + getRole() + ", token=" + getToken() + "]";
    }
}
