package io.raftboot.core.sim;

import io.raftboot.core.log.LogEntry;
import io.raftboot.core.storage.HardState;
import io.raftboot.core.storage.PersistentState;
import io.raftboot.core.storage.Snapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * A node's disk in the simulation: what survives a crash. Writes are durable call by call; a
 * crash in the middle of a Ready keeps only a prefix of its writes (see {@link Simulation}).
 */
final class SimDisk {

    HardState hardState = HardState.INITIAL;
    Snapshot snapshot;
    final List<LogEntry> entries = new ArrayList<>();
    /** Fault injection for the test that proves the simulation catches it: votes are not persisted. */
    boolean forgetVotes;

    PersistentState load() {
        return new PersistentState(hardState, snapshot, entries);
    }

    long snapshotIndex() {
        return snapshot == null ? 0 : snapshot.lastIndex();
    }

    long lastIndex() {
        return snapshotIndex() + entries.size();
    }

    /** Term at {@code index} on disk, or -1 if unknown. */
    long term(long index) {
        if (index == snapshotIndex()) {
            return snapshot == null ? 0 : snapshot.lastTerm();
        }
        if (index < snapshotIndex() || index > lastIndex()) {
            return -1;
        }
        return entries.get((int) (index - snapshotIndex() - 1)).term();
    }

    void append(List<LogEntry> batch) {
        long first = batch.get(0).index();
        if (first > lastIndex() + 1) {
            throw new AssertionError("append leaves a gap: first " + first + " after last " + lastIndex());
        }
        int keep = (int) Math.max(0, first - snapshotIndex() - 1);
        while (entries.size() > keep) {
            entries.remove(entries.size() - 1);
        }
        for (LogEntry e : batch) {
            if (e.index() > snapshotIndex()) {
                entries.add(e);
            }
        }
    }

    void saveHardState(HardState hs) {
        hardState = forgetVotes ? new HardState(hs.term(), null, hs.commit()) : hs;
    }

    void saveSnapshot(Snapshot s) {
        if (s.lastIndex() <= snapshotIndex()) {
            return;
        }
        if (term(s.lastIndex()) == s.lastTerm()) {
            entries.subList(0, (int) (s.lastIndex() - snapshotIndex())).clear();
        } else {
            entries.clear();
        }
        snapshot = s;
    }
}
