package io.raftboot.core.store;

/**
 * A key or value exceeds the {@link ConfigStore}'s size limits; nothing was proposed. The
 * message names the key and the limit.
 */
public class ConfigLimitExceededException extends IllegalArgumentException {

    public ConfigLimitExceededException(String message) {
        super(message);
    }
}
