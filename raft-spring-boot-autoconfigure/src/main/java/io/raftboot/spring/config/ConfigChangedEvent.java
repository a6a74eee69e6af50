package io.raftboot.spring.config;

import org.springframework.context.ApplicationEvent;

/**
 * A key of the replicated config changed on this node (published on every node, in the order
 * the changes were applied). The source is this node's id.
 */
public class ConfigChangedEvent extends ApplicationEvent {

    private final ConfigChange change;

    public ConfigChangedEvent(String nodeId, ConfigChange change) {
        super(nodeId);
        this.change = change;
    }

    public String getKey() {
        return change.key();
    }

    /** The key's version before, 0 if it was created. */
    public long getOldVersion() {
        return change.oldVersion();
    }

    /** The key's version after, 0 if it was deleted. */
    public long getNewVersion() {
        return change.newVersion();
    }

    /** The store's configVersion after the change. */
    public long getConfigVersion() {
        return change.configVersion();
    }

    public ConfigChange getChange() {
        return change;
    }

    @Override
    public String toString() {
        return "ConfigChangedEvent[key=" + change.key() + ", v" + change.oldVersion() + " -> v" + change.newVersion()
                + ", configVersion=" + change.configVersion() + "]";
    }
}
