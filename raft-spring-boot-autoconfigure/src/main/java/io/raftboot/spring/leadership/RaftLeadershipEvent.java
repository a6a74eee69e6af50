package io.raftboot.spring.leadership;

import org.springframework.context.ApplicationEvent;

/** Base of the leadership events this starter publishes; the source is the publishing node's id. */
public abstract class RaftLeadershipEvent extends ApplicationEvent {

    private final long term;

    protected RaftLeadershipEvent(String nodeId, long term) {
        super(nodeId);
        this.term = term;
    }

    /** The node that published the event (this node). */
    public String getNodeId() {
        return (String) getSource();
    }

    public long getTerm() {
        return term;
    }
}
