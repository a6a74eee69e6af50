package io.raftboot.core.storage;

import io.raftboot.core.log.LogEntry;
import java.util.List;

/**
 * Everything a {@link Storage} recovered: hard state, latest snapshot (or {@code null}) and the
 * log entries after it, contiguous and starting at {@code snapshot.lastIndex() + 1} (or 1).
 */
public record PersistentState(HardState hardState, Snapshot snapshot, List<LogEntry> entries) {

    public static final PersistentState EMPTY = new PersistentState(HardState.INITIAL, null, List.of());

    public PersistentState {
        entries = List.copyOf(entries);
    }
}
