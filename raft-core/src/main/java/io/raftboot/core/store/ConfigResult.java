package io.raftboot.core.store;

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
 * @param modIndex the key's {@link VersionedValue#modIndex()} after the command: the log index of
 *     this command when it wrote the key, the key's current one when it was refused (so a failed
 *     compare-and-set tells it), 0 when the key is absent. Unlike the version it never repeats
 *     for a key, not even after a delete and re-create: compare-and-set against it has no ABA.
 *     For {@link Outcome#SESSION_OPENED}, the new session's id (the log index of that entry).
 */
public record ConfigResult(
        Outcome outcome, String key, long previousVersion, long newVersion, long configVersion, long modIndex) {

    public enum Outcome {
        /** The store changed, {@code configVersion} grew by one. */
        APPLIED,
        /** A compare-and-set found another version (or modIndex) than expected; nothing changed. */
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
        MALFORMED,
        /**
         * The command's client session is unknown here (expired, or never opened): nothing changed.
         * If this was a retry, an earlier attempt may have been applied before the session expired.
         */
        SESSION_EXPIRED,
        /**
         * The session already acknowledged this sequence number and its result was forgotten (a
         * late duplicate): nothing changed.
         */
        STALE_REQUEST,
        /** A client session was opened (key null, {@code modIndex} is its id); the store did not change. */
        SESSION_OPENED
    }

    public boolean applied() {
        return outcome == Outcome.APPLIED;
    }
}
