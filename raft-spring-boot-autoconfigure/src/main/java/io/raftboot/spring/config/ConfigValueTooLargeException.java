package io.raftboot.spring.config;

/** A key or value exceeds the store's limits ({@code raft.max-value-size}); nothing was written. */
public class ConfigValueTooLargeException extends IllegalArgumentException {

    public ConfigValueTooLargeException(String message) {
        super(message);
    }
}
