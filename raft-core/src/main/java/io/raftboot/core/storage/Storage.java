package io.raftboot.core.storage;

import io.raftboot.core.log.LogEntry;
import java.util.List;

/**
 * Durable state of one node. Every method returns only once its effect is durable (fsynced);
 * the driver calls them before it sends any message that depends on them (Raft paper §5.1:
 * "updated on stable storage before responding to RPCs"). Any failure is thrown as a
 * {@link StorageException}; the driver then halts the node, it never ignores it.
 * Implementations need not be thread-safe: one driver thread owns a storage.
 */
public interface Storage extends AutoCloseable {

    /** Reads back what was durably written; called once, before any other method. */
    PersistentState load();

    /**
     * Durably appends entries. If the log already holds an entry at {@code entries.get(0).index()}
     * or later, those entries are removed first (conflict truncation, §5.3).
     * The first index must be at most the current last index + 1.
     */
    void append(List<LogEntry> entries);

    /** Durably replaces the hard state (atomically: old or new after a crash, never a mix). */
    void saveHardState(HardState hardState);

    /**
     * Durably installs a snapshot (atomically) and discards the log entries it covers. If the log
     * holds the snapshot's last entry (same index and term) the entries after it are kept,
     * otherwise the whole log is discarded (Raft paper §7, Figure 13 steps 6-7).
     */
    void saveSnapshot(Snapshot snapshot);

    /**
     * Persists one {@code Ready}'s durable part in the required order: snapshot, entries, hard
     * state. Implementations may override it to make the whole batch durable with one fsync
     * (group commit), as long as a crash leaves a prefix of that order.
     */
    default void persist(Snapshot snapshot, List<LogEntry> entries, HardState hardState) {
        if (snapshot != null) {
            saveSnapshot(snapshot);
        }
        if (!entries.isEmpty()) {
            append(entries);
        }
        if (hardState != null) {
            saveHardState(hardState);
        }
    }

    @Override
    void close();
}
