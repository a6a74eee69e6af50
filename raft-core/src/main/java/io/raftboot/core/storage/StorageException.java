package io.raftboot.core.storage;

/**
 * Durable state could not be read or written. A node that sees this must stop: continuing
 * after a lost write could break a vote or lose an acknowledged entry.
 */
public class StorageException extends RuntimeException {

    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
