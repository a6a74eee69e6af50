package io.raftboot.spring.config;

/**
 * A write to the replicated config failed. {@link #isOutcomeUnknown()} tells whether it may
 * still have been committed (the leader accepted it, then timed out or lost leadership): read the
 * key before retrying anything that is not idempotent.
 */
public class ConfigWriteException extends RuntimeException {

    private final boolean outcomeUnknown;

    public ConfigWriteException(String message, boolean outcomeUnknown, Throwable cause) {
        super(message, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    public boolean isOutcomeUnknown() {
        return outcomeUnknown;
    }
}
