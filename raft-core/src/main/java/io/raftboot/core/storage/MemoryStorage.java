package io.raftboot.core.storage;

import io.raftboot.core.log.LogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A {@link Storage} kept in memory: nothing survives the JVM. For tests and the simulation,
 * and the reference model {@code FileStorage} is checked against. Not thread-safe, like the
 * contract allows.
 */
public final class MemoryStorage implements Storage {

    private HardState hardState = HardState.INITIAL;
    private Snapshot snapshot;
    /** Entries after the snapshot, contiguous from {@link #firstIndex()}. */
    private final ArrayList<LogEntry> entries = new ArrayList<>();

    private boolean closed;

    public MemoryStorage() {}

    /** A storage that already holds {@code state}, as if it had been written before a restart. */
    public MemoryStorage(PersistentState state) {
        Objects.requireNonNull(state, "state");
        this.hardState = state.hardState();
        this.snapshot = state.snapshot();
        LogChecks.requireContiguousFrom(firstIndexAfter(snapshot), state.entries());
        this.entries.addAll(state.entries());
    }

    @Override
    public PersistentState load() {
        ensureOpen();
        return current();
    }

    /** A copy of what this storage holds now (what {@link #load()} would return after a restart). */
    public PersistentState current() {
        return new PersistentState(hardState, snapshot, entries);
    }

    public HardState hardState() {
        return hardState;
    }

    /** The latest snapshot, or {@code null}. */
    public Snapshot snapshot() {
        return snapshot;
    }

    /** Index of the first entry held (snapshot's last index + 1, or 1), even if the log is empty. */
    public long firstIndex() {
        return firstIndexAfter(snapshot);
    }

    /** Index of the last entry held, or the snapshot's last index (or 0) when the log is empty. */
    public long lastIndex() {
        return firstIndex() + entries.size() - 1;
    }

    @Override
    public void append(List<LogEntry> newEntries) {
        ensureOpen();
        List<LogEntry> kept = LogChecks.checkAppend(firstIndex(), lastIndex(), newEntries);
        if (kept.isEmpty()) {
            return;
        }
        // Conflict truncation (§5.3): drop everything from the first new index on.
        int from = (int) (kept.get(0).index() - firstIndex());
        entries.subList(from, entries.size()).clear();
        entries.addAll(kept);
    }

    @Override
    public void saveHardState(HardState newHardState) {
        ensureOpen();
        this.hardState = Objects.requireNonNull(newHardState, "hardState");
    }

    @Override
    public void saveSnapshot(Snapshot newSnapshot) {
        ensureOpen();
        Objects.requireNonNull(newSnapshot, "snapshot");
        long first = firstIndex();
        if (LogChecks.holdsLastEntryOf(
                snapshot, lastIndex(), i -> entries.get((int) (i - first)).term(), newSnapshot)) {
            entries.subList(0, (int) (newSnapshot.lastIndex() + 1 - first)).clear();
        } else {
            entries.clear();
        }
        this.snapshot = newSnapshot;
    }

    /** Checks the whole batch before changing anything, so a rejected call changes nothing. */
    @Override
    public void persist(Snapshot newSnapshot, List<LogEntry> newEntries, HardState newHardState) {
        ensureOpen();
        Objects.requireNonNull(newEntries, "entries");
        if (newSnapshot != null) {
            long first = firstIndex();
            boolean keep = LogChecks.holdsLastEntryOf(
                    snapshot, lastIndex(), i -> entries.get((int) (i - first)).term(), newSnapshot);
            LogChecks.checkAppend(
                    newSnapshot.lastIndex() + 1, keep ? lastIndex() : newSnapshot.lastIndex(), newEntries);
            saveSnapshot(newSnapshot);
        }
        append(newEntries);
        if (newHardState != null) {
            saveHardState(newHardState);
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    private void ensureOpen() {
        if (closed) {
            throw new StorageException("storage is closed; open a new one to continue");
        }
    }

    static long firstIndexAfter(Snapshot snapshot) {
        return snapshot == null ? 1 : snapshot.lastIndex() + 1;
    }
}
