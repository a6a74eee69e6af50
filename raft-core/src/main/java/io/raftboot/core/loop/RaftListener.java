package io.raftboot.core.loop;

/**
 * Callbacks from the driver thread. Keep them short and non-blocking: the node makes no progress
 * while one runs. Exceptions thrown are logged and ignored.
 */
public interface RaftListener {

    /**
     * Role, term or leader changed, or this node's lease started or lapsed as seen at the end of a
     * loop iteration; {@code previous} is the status before. A lease also lapses between
     * iterations: whoever acts on it checks {@link RaftStatus#holdsLease()} again at
     * {@link RaftStatus#leaseValidUntilNanos()}.
     */
    default void onStateChange(RaftStatus previous, RaftStatus current) {}

    /** A committed command was applied with {@code result} (on every node). */
    default void onApplied(long index, byte[] command, Object result) {}

    /**
     * The published {@link RaftStatus#lastApplied()} advanced to {@code lastApplied}: by applied
     * entries of any type (also the no-op and membership entries {@link #onApplied} is not told
     * of) or by a snapshot. Called after {@link RaftLoop#status()} and the state machine both
     * show it, so a wait for "applied up to index i" can be woken by this instead of polling.
     */
    default void onAppliedUpTo(long lastApplied) {}

    /** The state machine was replaced by a snapshot's. */
    default void onSnapshotRestored(long index) {}

    /** The node stopped because of an unrecoverable error (typically storage). */
    default void onHalted(Throwable cause) {}
}
