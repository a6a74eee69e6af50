package io.raftboot.core.log;

/** Kind of a log entry. */
public enum EntryType {
    /** A command for the state machine. */
    NORMAL,
    /** The empty entry a new leader appends to commit entries of earlier terms (§5.4.2, §8). */
    NOOP,
    /**
     * A new cluster configuration ({@link io.raftboot.core.node.MembershipCodec}); every node uses
     * it as soon as it is in its log, committed or not (thesis §4.1).
     */
    MEMBERSHIP
}
