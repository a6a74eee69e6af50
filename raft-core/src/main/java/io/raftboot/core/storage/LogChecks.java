package io.raftboot.core.storage;

import io.raftboot.core.log.LogEntry;
import java.util.List;
import java.util.Objects;
import java.util.function.LongUnaryOperator;

/**
 * The {@link Storage} contract's rules on log shape, shared by {@link MemoryStorage} and
 * {@link FileStorage} so both accept and reject exactly the same calls.
 */
final class LogChecks {

    private LogChecks() {}

    /**
     * Validates an append against a log holding {@code [firstIndex, lastIndex]} (empty when
     * {@code lastIndex == firstIndex - 1}) and returns the entries to write: entries at or below
     * the snapshot ({@code < firstIndex}) are dropped, since a snapshot only covers committed
     * entries and those are equal on every node (Log Matching, §5.3).
     *
     * @throws IllegalArgumentException on a gap after the last index or non-contiguous entries
     */
    static List<LogEntry> checkAppend(long firstIndex, long lastIndex, List<LogEntry> entries) {
        Objects.requireNonNull(entries, "entries");
        if (entries.isEmpty()) {
            return entries;
        }
        requireContiguousFrom(entries.get(0).index(), entries);
        long first = entries.get(0).index();
        if (first > lastIndex + 1) {
            throw new IllegalArgumentException("append would leave a gap: the log ends at " + lastIndex
                    + " but the first new entry has index " + first);
        }
        long last = entries.get(entries.size() - 1).index();
        if (last < firstIndex) {
            return List.of();
        }
        if (first < firstIndex) {
            return entries.subList((int) (firstIndex - first), entries.size());
        }
        return entries;
    }

    /** @throws IllegalArgumentException unless the entries have indexes first, first+1, ... */
    static void requireContiguousFrom(long first, List<LogEntry> entries) {
        long expected = first;
        for (LogEntry e : entries) {
            Objects.requireNonNull(e, "entry");
            if (e.index() != expected) {
                throw new IllegalArgumentException(
                        "entries must be contiguous from " + first + ": expected index " + expected + " but got " + e);
            }
            expected++;
        }
    }

    /**
     * Whether a log (entries {@code firstIndex..lastIndex} after {@code current}, or after index
     * 0 when {@code current} is null) holds {@code snapshot}'s last entry with the same term: then
     * installing the snapshot keeps the entries after it, else it discards the whole log
     * (Raft paper §7, Figure 13 steps 6-7). The current snapshot's own last entry counts as held.
     *
     * @throws IllegalArgumentException if {@code snapshot} is older than {@code current}
     */
    static boolean holdsLastEntryOf(Snapshot current, long lastIndex, LongUnaryOperator termAt, Snapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        long firstIndex = MemoryStorage.firstIndexAfter(current);
        long i = snapshot.lastIndex();
        if (current != null && i < current.lastIndex()) {
            throw new IllegalArgumentException("snapshot " + snapshot + " is older than the one already held, "
                    + current + "; installing it would move the state machine back");
        }
        if (current != null && i == current.lastIndex()) {
            return snapshot.lastTerm() == current.lastTerm();
        }
        return i >= firstIndex && i <= lastIndex && termAt.applyAsLong(i) == snapshot.lastTerm();
    }
}
