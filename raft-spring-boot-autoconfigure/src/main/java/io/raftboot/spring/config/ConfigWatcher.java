package io.raftboot.spring.config;

/**
 * Called for each change of a watched key (or prefix), on the Raft event thread, in the order
 * the changes were applied on this node. Keep it short.
 */
@FunctionalInterface
public interface ConfigWatcher {

    void onChange(ConfigChange change);
}
