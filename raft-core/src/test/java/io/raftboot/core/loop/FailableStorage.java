package io.raftboot.core.loop;

import io.raftboot.core.log.LogEntry;
import io.raftboot.core.storage.HardState;
import io.raftboot.core.storage.MemoryStorage;
import io.raftboot.core.storage.PersistentState;
import io.raftboot.core.storage.Snapshot;
import io.raftboot.core.storage.Storage;
import io.raftboot.core.storage.StorageException;
import java.util.List;

/** A {@link MemoryStorage} that can be told to fail every write from now on, like a dead disk. */
final class FailableStorage implements Storage {

    final MemoryStorage delegate;
    private volatile StorageException failure;
    volatile boolean closed;

    FailableStorage() {
        this(new MemoryStorage());
    }

    FailableStorage(MemoryStorage delegate) {
        this.delegate = delegate;
    }

    void failFromNowOn(StorageException e) {
        failure = e;
    }

    private void check() {
        StorageException e = failure;
        if (e != null) {
            throw e;
        }
    }

    @Override
    public PersistentState load() {
        return delegate.load();
    }

    @Override
    public void append(List<LogEntry> entries) {
        check();
        delegate.append(entries);
    }

    @Override
    public void saveHardState(HardState hardState) {
        check();
        delegate.saveHardState(hardState);
    }

    @Override
    public void saveSnapshot(Snapshot snapshot) {
        check();
        delegate.saveSnapshot(snapshot);
    }

    @Override
    public void persist(Snapshot snapshot, List<LogEntry> entries, HardState hardState) {
        check();
        Storage.super.persist(snapshot, entries, hardState);
    }

    @Override
    public void close() {
        closed = true;
        delegate.close();
    }
}
