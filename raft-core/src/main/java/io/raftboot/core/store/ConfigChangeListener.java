package io.raftboot.core.store;

/**
 * Told of every change of the {@link ConfigStore}, on the thread that applies commands (the
 * Raft driver thread): keep it short and non-blocking. Exceptions are logged and ignored.
 */
@FunctionalInterface
public interface ConfigChangeListener {

    /**
     * One key changed.
     *
     * @param oldValue the value before, or {@code null} if the key was created
     * @param newValue the value after, or {@code null} if the key was deleted
     * @param configVersion the store's configVersion after the change
     */
    void onChange(String key, VersionedValue oldValue, VersionedValue newValue, long configVersion);
}
