package io.raftboot.core.store;

import java.util.Objects;

/**
 * A command of a client session (Raft thesis §6.3): how a client makes its writes exactly-once.
 * A client opens a session through the log ({@link Open}; the session's id is the log index of
 * that entry, the same on every replica), then numbers its writes ({@link Write}). The store
 * remembers the result of each numbered write until the client says it has seen it, and answers
 * a retry of the same number with that result instead of applying the write again, whichever
 * leader the retry reached and however many copies of the write the log holds.
 *
 * <p>Both carry their limits, stamped by the proposing node, so applying them depends on no
 * node's settings (as {@link ConfigCommand.Put#maxKeys()} does).
 */
public sealed interface SessionCommand permits SessionCommand.Open, SessionCommand.Write {

    /**
     * Opens a session. Applying it at log index {@code i} opens session {@code i} (the result's
     * {@link ConfigResult#modIndex()}); when the store
     * already holds {@code maxSessions} sessions, the one idle longest (the smallest log index of
     * its last write) is expired first. Expiry is decided by log position only, never by a
     * replica's clock, so every replica expires the same sessions at the same entry.
     *
     * @param maxSessions the most sessions the store keeps (1..)
     * @param maxResults the most remembered results of one session (1..): the writes it may have
     *     in flight at once; beyond it the oldest result is forgotten (a retry of it is then
     *     answered {@link ConfigResult.Outcome#STALE_REQUEST})
     */
    record Open(int maxSessions, int maxResults) implements SessionCommand {
        public Open {
            if (maxSessions < 1 || maxResults < 1) {
                throw new IllegalArgumentException(
                        "maxSessions and maxResults must be >= 1, got " + maxSessions + " and " + maxResults);
            }
        }
    }

    /**
     * A write of session {@code sessionId}.
     *
     * @param sequence the write's number in its session (1..); a retry reuses it
     * @param lowestUnacknowledged the smallest sequence whose result the client has not seen yet
     *     (1..sequence): the results of smaller ones may be forgotten (thesis §6.3)
     */
    record Write(long sessionId, long sequence, long lowestUnacknowledged, ConfigCommand command)
            implements SessionCommand {
        public Write {
            Objects.requireNonNull(command, "command");
            if (sessionId < 1 || sequence < 1 || lowestUnacknowledged < 1 || lowestUnacknowledged > sequence) {
                throw new IllegalArgumentException("a session write needs sessionId >= 1 and 1 <= lowestUnacknowledged"
                        + " <= sequence, got session " + sessionId + ", sequence " + sequence
                        + ", lowest unacknowledged "
                        + lowestUnacknowledged);
            }
        }

        /** This write with another command (the leader stamps its own key limit into it). */
        public Write withCommand(ConfigCommand other) {
            return new Write(sessionId, sequence, lowestUnacknowledged, other);
        }
    }
}
