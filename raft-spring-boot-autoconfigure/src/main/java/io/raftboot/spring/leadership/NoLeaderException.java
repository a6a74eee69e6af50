package io.raftboot.spring.leadership;

/**
 * No leader was known within the allowed time, so the operation was not attempted: a majority
 * of the voters is down or unreachable, or an election is still running.
 */
public class NoLeaderException extends RuntimeException {

    public NoLeaderException(String message) {
        super(message);
    }
}
