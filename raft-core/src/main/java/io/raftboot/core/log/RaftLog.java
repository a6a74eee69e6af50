package io.raftboot.core.log;

import io.raftboot.core.storage.Snapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * The in-memory view of one node's log: a snapshot (possibly none) followed by contiguous
 * entries. Tracks which suffix is not yet durable ({@link #unstableEntries()}), so the node
 * can hand it to the caller to persist. Not thread-safe; owned by {@code RaftNode}.
 */
public final class RaftLog {

    private long snapshotIndex;
    private long snapshotTerm;
    private Snapshot snapshot;
    private final ArrayList<LogEntry> entries = new ArrayList<>(); // index snapshotIndex+1 ...
    private long unstableFrom; // first index not yet durable

    public RaftLog(Snapshot snapshot, List<LogEntry> durableEntries) {
        if (snapshot != null) {
            this.snapshot = snapshot;
            this.snapshotIndex = snapshot.lastIndex();
            this.snapshotTerm = snapshot.lastTerm();
        }
        long expected = snapshotIndex + 1;
        for (LogEntry e : durableEntries) {
            if (e.index() != expected) {
                throw new IllegalStateException(
                        "recovered log is not contiguous: expected index " + expected + " but found " + e.index());
            }
            entries.add(e);
            expected++;
        }
        this.unstableFrom = expected;
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public long snapshotIndex() {
        return snapshotIndex;
    }

    /** First index still held as an entry (entries below it are in the snapshot). */
    public long firstIndex() {
        return snapshotIndex + 1;
    }

    public long lastIndex() {
        return snapshotIndex + entries.size();
    }

    public long lastTerm() {
        return entries.isEmpty()
                ? snapshotTerm
                : entries.get(entries.size() - 1).term();
    }

    /** Last index that is durable on this node. */
    public long stableIndex() {
        return Math.min(unstableFrom - 1, lastIndex());
    }

    /**
     * Term of the entry at {@code index}; 0 for index 0; -1 when unknown (compacted away or
     * beyond the end).
     */
    public long term(long index) {
        if (index == snapshotIndex) {
            return snapshotTerm;
        }
        if (index < snapshotIndex || index > lastIndex()) {
            return index == 0 ? 0 : -1;
        }
        return entries.get((int) (index - snapshotIndex - 1)).term();
    }

    public LogEntry entry(long index) {
        if (index <= snapshotIndex || index > lastIndex()) {
            throw new IndexOutOfBoundsException(
                    "no entry " + index + " in log [" + firstIndex() + ", " + lastIndex() + "]");
        }
        return entries.get((int) (index - snapshotIndex - 1));
    }

    public boolean matchTerm(long index, long term) {
        return term(index) == term;
    }

    /** Election restriction (§5.4.1): is a log ending at (lastIndex, lastTerm) at least as up to date as ours? */
    public boolean isUpToDate(long otherLastIndex, long otherLastTerm) {
        long myTerm = lastTerm();
        return otherLastTerm > myTerm || (otherLastTerm == myTerm && otherLastIndex >= lastIndex());
    }

    /** Entries in [from, to], at most {@code max} of them; {@code from} must be >= firstIndex. */
    public List<LogEntry> slice(long from, long to, int max) {
        long end = Math.min(to, Math.min(lastIndex(), from + max - 1));
        if (from > end) {
            return List.of();
        }
        return new ArrayList<>(entries.subList((int) (from - snapshotIndex - 1), (int) (end - snapshotIndex)));
    }

    /** Leader append of a new entry at lastIndex + 1. */
    public void append(LogEntry entry) {
        if (entry.index() != lastIndex() + 1) {
            throw new IllegalArgumentException("append at " + entry.index() + " but last index is " + lastIndex());
        }
        entries.add(entry);
    }

    /**
     * Follower side of AppendEntries after the consistency check passed (Figure 2, receiver
     * steps 3-4): skips entries already present with the same term, truncates at the first
     * conflict, appends the rest. Never truncates at or below {@code committed}.
     */
    public void appendFromLeader(List<LogEntry> incoming, long committed) {
        for (int i = 0; i < incoming.size(); i++) {
            LogEntry e = incoming.get(i);
            if (e.index() <= snapshotIndex) {
                continue; // already covered by our snapshot (committed)
            }
            if (e.index() <= lastIndex()) {
                if (term(e.index()) == e.term()) {
                    continue;
                }
                if (e.index() <= committed) {
                    throw new IllegalStateException("leader sent entry " + e + " conflicting with committed index "
                            + committed + ": the log matching property is broken");
                }
                truncateFrom(e.index());
            }
            entries.add(e);
        }
    }

    private void truncateFrom(long index) {
        int keep = (int) (index - snapshotIndex - 1);
        entries.subList(keep, entries.size()).clear();
        unstableFrom = Math.min(unstableFrom, index);
    }

    /** The suffix not yet durable, to be persisted by the caller. */
    public List<LogEntry> unstableEntries() {
        if (unstableFrom > lastIndex()) {
            return List.of();
        }
        return new ArrayList<>(entries.subList((int) (unstableFrom - snapshotIndex - 1), entries.size()));
    }

    /** The caller persisted everything up to {@code index}. */
    public void stableTo(long index) {
        unstableFrom = Math.max(unstableFrom, index + 1);
    }

    /** Local compaction: drop entries covered by a snapshot this node took and persisted. */
    public void compact(Snapshot s) {
        if (s.lastIndex() <= snapshotIndex) {
            return;
        }
        if (s.lastIndex() > stableIndex() || term(s.lastIndex()) != s.lastTerm()) {
            throw new IllegalArgumentException("cannot compact to " + s + ": not a durable entry of this log");
        }
        entries.subList(0, (int) (s.lastIndex() - snapshotIndex)).clear();
        snapshot = s;
        snapshotIndex = s.lastIndex();
        snapshotTerm = s.lastTerm();
    }

    /**
     * Installs a snapshot from the leader (§7): keeps entries after it if our log holds its last
     * entry, otherwise discards the whole log. The snapshot itself still has to be persisted.
     */
    public void restore(Snapshot s) {
        if (term(s.lastIndex()) == s.lastTerm() && s.lastIndex() <= lastIndex()) {
            entries.subList(0, (int) (s.lastIndex() - snapshotIndex)).clear();
        } else {
            entries.clear();
        }
        snapshot = s;
        snapshotIndex = s.lastIndex();
        snapshotTerm = s.lastTerm();
        unstableFrom = Math.max(unstableFrom, snapshotIndex + 1);
        if (unstableFrom > lastIndex() + 1) {
            unstableFrom = lastIndex() + 1;
        }
    }

    /** Index of the first entry with {@code term} at or before {@code index} (fast backtracking hint). */
    public long firstIndexOfTermAtOrBefore(long index, long term) {
        long i = index;
        while (i - 1 > snapshotIndex && term(i - 1) == term) {
            i--;
        }
        return i;
    }

    /** Last index whose term is {@code <= term}, searching down from {@code index}. */
    public long lastIndexWithTermAtMost(long index, long term) {
        long i = Math.min(index, lastIndex());
        while (i > snapshotIndex && term(i) > term) {
            i--;
        }
        return i;
    }
}
