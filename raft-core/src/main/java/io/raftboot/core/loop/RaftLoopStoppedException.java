package io.raftboot.core.loop;

/**
 * The {@link RaftLoop} is not running: not started yet, closed, or halted by an unrecoverable
 * error (then {@link #getCause()} is that error).
 */
public class RaftLoopStoppedException extends IllegalStateException {

    public RaftLoopStoppedException(String message, Throwable cause) {
        super(message, cause);
    }
}
