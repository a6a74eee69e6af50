package io.raftboot.testsupport.history;

/**
 * What the client learned about an {@link Operation}. There is no "failed": an operation that surely
 * had no effect (refused before it was proposed, a command that can no longer commit) is simply left
 * out of the history.
 */
public enum Outcome {
    /** The client got an answer; the operation's {@link Result} is what the store reported. */
    OK,
    /**
     * The client got no answer it can trust (timeout, leader lost, connection reset): the operation
     * may take effect at any single point after its invocation, or never, and its output is not
     * constrained.
     */
    UNKNOWN
}
