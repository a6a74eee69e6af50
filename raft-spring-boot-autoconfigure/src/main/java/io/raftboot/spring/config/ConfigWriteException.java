package io.raftboot.spring.config;

/**
 * A write to the replicated config failed. {@link #isOutcomeUnknown()} tells whether it may still
 * take effect: {@code true} when an attempt may have reached the log (then the write is applied
 * exactly once or never: the library already retried it, with its session sequence number, until
 * {@code raft.write-timeout}); {@code false} only when it surely was not and will not be applied.
 * A retry by the caller is a new write: read the key first when applying it twice would matter.
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
