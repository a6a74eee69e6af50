package io.raftboot.core.log;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of the replicated log.
 *
 * @param data the command; treated as immutable once in the log (never mutate the array)
 */
public record LogEntry(long index, long term, EntryType type, byte[] data) {

    private static final byte[] EMPTY = new byte[0];

    public LogEntry {
        Objects.requireNonNull(type, "type");
        data = data == null ? EMPTY : data;
        if (index < 1) {
            throw new IllegalArgumentException("log index starts at 1, got " + index);
        }
        if (term < 0) {
            throw new IllegalArgumentException("term must not be negative, got " + term);
        }
    }

    public static LogEntry noop(long index, long term) {
        return new LogEntry(index, term, EntryType.NOOP, EMPTY);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogEntry e
                && e.index == index
                && e.term == term
                && e.type == type
                && Arrays.equals(e.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, term, type, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "LogEntry[" + index + "@" + term + " " + type + " " + data.length + "B]";
    }
}
