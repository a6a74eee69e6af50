package io.raftboot.spring.config;

/**
 * A write would have created a key while the replicated config store already holds
 * {@code raft.max-config-keys} keys. Nothing was written ({@link #isOutcomeUnknown()} is false);
 * writes to existing keys and deletes still work.
 */
public class ConfigStoreFullException extends ConfigWriteException {

    private final String key;
    private final int maxKeys;

    public ConfigStoreFullException(String key, int maxKeys) {
        super(
                "config store full: " + maxKeys + " keys (raft.max-config-keys); the write of new key '" + key
                        + "' was refused and nothing was written. Delete keys that are no longer used, or raise raft.max-config-keys"
                        + " on every node",
                false,
                null);
        this.key = key;
        this.maxKeys = maxKeys;
    }

    /** The key that was not created. */
    public String getKey() {
        return key;
    }

    /** The key limit, as this node knows it. */
    public int getMaxKeys() {
        return maxKeys;
    }
}
