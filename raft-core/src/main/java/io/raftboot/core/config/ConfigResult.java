package io.raftboot.core.config;

/**
 * What applying one {@link ConfigCommand} did; the same on every node.
 *
 * @param outcome whether the command changed the store, and if not why
 * @param key the command's key, or {@code null} if the command could not be decoded
 * @param previousVersion the key's version before the command, 0 if it was absent
 * @param newVersion the key's version after the command, 0 if it is absent; equal to
 *     {@code previousVersion} when the command was rejected (so a failed compare-and-set tells
 *     the current version)
 * @param configVersion the store's {@code configVersion} after the command
 */
public record ConfigResult(Outcome outcome, String key, long previousVersion, long newVersion, long configVersion) {

    public enum Outcome {
        /** The store changed, {@code configVersion} grew by one. */
        APPLIED,
        /** A compare-and-set found another version than expected; nothing changed. */
        VERSION_MISMATCH,
        /** A delete of an absent key; nothing changed. */
        NOT_FOUND,
        /** The key or value exceeds the store's limits; nothing changed. */
        TOO_LARGE,
        /**
         * The command would create a key while the store already holds the most keys the command
         * allows ({@link ConfigCommand.Put#maxKeys()}); nothing changed. Writes to existing keys
         * and deletes still apply.
         */
        STORE_FULL,
        /** The command bytes were not a well-formed command; nothing changed. */
        MALFORMED
    }

    public boolean applied() {
        return outcome == Outcome.APPLIED;
    }
}
