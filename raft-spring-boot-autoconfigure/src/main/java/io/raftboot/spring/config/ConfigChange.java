package io.raftboot.spring.config;

import io.raftboot.core.store.VersionedValue;
import java.util.Optional;

/**
 * One change of one key of the {@link ReplicatedConfig}, as applied on this node.
 *
 * @param oldValue the value before, or {@code null} if the key was created
 * @param newValue the value after, or {@code null} if the key was deleted
 * @param configVersion the store's global version after the change
 */
public record ConfigChange(String key, VersionedValue oldValue, VersionedValue newValue, long configVersion) {

    /** The key's version before the change, 0 if it did not exist. */
    public long oldVersion() {
        return oldValue == null ? 0 : oldValue.version();
    }

    /** The key's version after the change, 0 if it was deleted. */
    public long newVersion() {
        return newValue == null ? 0 : newValue.version();
    }

    /** The new value as UTF-8 text, empty when the key was deleted. */
    public Optional<String> newText() {
        return Optional.ofNullable(newValue).map(VersionedValue::valueAsString);
    }

    public boolean isDelete() {
        return newValue == null;
    }
}
