package io.raftboot.spring.grpc;

import io.raftboot.core.log.LogEntry;
import io.raftboot.core.storage.HardState;
import io.raftboot.core.storage.PersistentState;
import io.raftboot.core.storage.Snapshot;
import io.raftboot.core.storage.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A storage that records every hard state the node makes durable and checks, as it happens,
 * what Raft forbids: the term going back, a second vote in one term, a vote for a non-member.
 */
final class RecordingStorage implements Storage {

    private final Storage delegate;
    private final Set<String> members;
    final List<HardState> history = new CopyOnWriteArrayList<>();
    final List<String> violations = new CopyOnWriteArrayList<>();

    RecordingStorage(Storage delegate, Set<String> members) {
        this.delegate = delegate;
        this.members = members;
    }

    @Override
    public PersistentState load() {
        PersistentState s = delegate.load();
        history.add(s.hardState());
        return s;
    }

    @Override
    public void append(List<LogEntry> entries) {
        delegate.append(entries);
    }

    @Override
    public void saveHardState(HardState hardState) {
        delegate.saveHardState(hardState);
        record(hardState);
    }

    @Override
    public void saveSnapshot(Snapshot snapshot) {
        delegate.saveSnapshot(snapshot);
    }

    @Override
    public void persist(Snapshot snapshot, List<LogEntry> entries, HardState hardState) {
        delegate.persist(snapshot, entries, hardState);
        if (hardState != null) {
            record(hardState);
        }
    }

    @Override
    public void close() {
        delegate.close();
    }

    List<HardState> snapshotOfHistory() {
        return new ArrayList<>(history);
    }

    private void record(HardState h) {
        HardState previous = history.isEmpty() ? null : history.get(history.size() - 1);
        if (previous != null) {
            if (h.term() < previous.term()) {
                violations.add("term went back from " + previous.term() + " to " + h.term());
            }
            if (h.term() == previous.term()
                    && previous.votedFor() != null
                    && !previous.votedFor().equals(h.votedFor())) {
                violations.add(
                        "vote in term " + h.term() + " changed from " + previous.votedFor() + " to " + h.votedFor());
            }
        }
        if (h.votedFor() != null && !members.contains(h.votedFor())) {
            violations.add("voted for non-member '" + h.votedFor() + "' in term " + h.term());
        }
        history.add(h);
    }
}
