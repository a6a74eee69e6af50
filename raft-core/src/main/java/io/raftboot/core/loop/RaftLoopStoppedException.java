package io.raftboot.core.loop;

/**
 * The {@link RaftLoop} is not running: not started yet, closed, or halted by an unrecoverable
 * error (then {@link #getCause()} is that error).
 */
public class RaftLoopStoppedException extends IllegalStateException {

    private final boolean outcomeUnknown;

    /** A request the loop never took: nothing was proposed. */
    public RaftLoopStoppedException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /**
     * @param outcomeUnknown whether the request's command was already in this node's log when the
     *     loop stopped, so a new leader may still commit it
     */
    public RaftLoopStoppedException(String message, Throwable cause, boolean outcomeUnknown) {
        super(message, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    /** {@code true} if the command entered the log before the loop stopped and may still be committed. */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
