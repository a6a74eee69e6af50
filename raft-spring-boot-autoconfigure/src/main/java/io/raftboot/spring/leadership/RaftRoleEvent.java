package io.raftboot.spring.leadership;

import org.springframework.context.ApplicationEvent;

/**
 * Base of the named-role events (issue 16); the source is the publishing node's id. Not a
 * {@link RaftLeadershipEvent}: a role changes hands without any change of Raft leadership, and
 * listeners of leadership events must not mistake one for the other.
 */
public abstract class RaftRoleEvent extends ApplicationEvent {

    private final String role;
    private final long token;

    protected RaftRoleEvent(String nodeId, String role, long token) {
        super(nodeId);
        this.role = role;
        this.token = token;
    }

    /** The node that published the event (this node). */
    public String getNodeId() {
        return (String) getSource();
    }

    /** The named role. */
    public String getRole() {
        return role;
    }

    /**
     * The role's fencing token of the hold that began or ended: the log index of its grant. It
     * strictly increases from one holder of the role to the next.
     */
    public long getToken() {
        return token;
    }
}
