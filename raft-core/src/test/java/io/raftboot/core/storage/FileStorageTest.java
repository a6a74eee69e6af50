package io.raftboot.core.storage;

import static io.raftboot.core.storage.StorageContractTest.entries;
import static io.raftboot.core.storage.StorageContractTest.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftboot.core.log.LogEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileStorageTest extends FileStorageTestSupport {

    @Test
    void survivesManyRestartsWithTheSameState() {
        MemoryStorage model = new MemoryStorage();
        long term = 1;
        for (int restart = 0; restart < 12; restart++) {
            try (FileStorage storage = open(data())) {
                assertThat(storage.load()).isEqualTo(model.current());
                long next = model.lastIndex() + 1;
                List<LogEntry> batch = entries(next, next + 2, term);
                HardState hs = new HardState(term, "n" + (restart % 3 + 1), next);
                storage.persist(null, batch, hs);
                model.persist(null, batch, hs);
                if (restart % 4 == 3) {
                    Snapshot s = snapshot(model.lastIndex() - 1, term);
                    storage.saveSnapshot(s);
                    model.saveSnapshot(s);
                }
                term++;
            }
        }
        assertThat(loadOnce(data())).isEqualTo(model.current());
    }

    @Test
    void aZeroLengthMetaFileIsRefused() throws IOException {
        loadOnce(data());
        truncate(data().resolve(MetaFile.NAME), 0);
        assertThatThrownBy(() -> open(data()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(
                        data().resolve(MetaFile.NAME).toAbsolutePath().toString())
                .hasMessageContaining("damaged");
    }

    @Test
    void aDamagedSnapshotFileIsRefused() throws IOException {
        try (FileStorage storage = open(data())) {
            storage.load();
            storage.append(entries(1, 3, 1));
            storage.saveSnapshot(snapshot(2, 1));
        }
        flipBit(data().resolve(FileStorage.SNAPSHOT_FILE), 12);
        try (FileStorage storage = open(data())) {
            assertThatThrownBy(storage::load)
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining(FileStorage.SNAPSHOT_FILE)
                    .hasMessageContaining("damaged");
        }
    }

    @Test
    void aDirectoryCreatedForAnotherNodeIsRefused() {
        loadOnce(data());
        assertThatThrownBy(() -> new FileStorage(data(), "n2", "c1"))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("belongs to node 'n1', not to node 'n2'")
                .hasMessageContaining(
                        data().resolve(MetaFile.NAME).toAbsolutePath().toString());
        new FileStorage(data(), "n1", "c1").close();
        new FileStorage(data(), null, null).close();
        new FileStorage(data()).close();
    }

    @Test
    void aDirectoryWithALogButNoMetaFileIsRefused() throws IOException {
        loadOnce(data());
        Files.delete(data().resolve(MetaFile.NAME));
        assertThatThrownBy(() -> open(data()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("no 'meta'");
    }

    @Test
    void anIoErrorWhileAppendingIsAStorageExceptionAndTheStorageRefusesFurtherUse() throws IOException {
        try (FileStorage storage = open(data())) {
            storage.load();
            storage.append(entries(1, 1, 1));
            storage.logChannel().close();
            assertThatThrownBy(() -> storage.append(entries(2, 2, 1)))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining(data().toAbsolutePath().toString());
            assertThatThrownBy(() -> storage.saveHardState(new HardState(1, null, 0)))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("failed earlier");
        }
        assertThat(loadOnce(data()).entries()).isEqualTo(entries(1, 1, 1));
    }

    @Test
    void anIoErrorWhileWritingASnapshotIsAStorageException() throws IOException {
        try (FileStorage storage = open(data())) {
            storage.load();
            storage.append(entries(1, 3, 1));
            Path blocker = data().resolve(FileStorage.SNAPSHOT_FILE + DurableFiles.TMP_SUFFIX);
            Files.createDirectories(blocker.resolve("in-the-way"));
            assertThatThrownBy(() -> storage.saveSnapshot(snapshot(2, 1)))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("snapshot");
            Files.delete(blocker.resolve("in-the-way"));
        }
        PersistentState state = loadOnce(data());
        assertThat(state.snapshot()).isNull();
        assertThat(state.entries()).isEqualTo(entries(1, 3, 1));
    }

    @Test
    void aLogFileThatIsADirectoryIsAStorageException() throws IOException {
        new FileStorage(data()).close();
        Files.createDirectories(logFile());
        try (FileStorage storage = open(data())) {
            assertThatThrownBy(storage::load)
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining(data().toAbsolutePath().toString());
        }
    }

    @Test
    void onePersistOfEntriesAndHardStateCostsOneFsync() {
        try (FileStorage storage = open(data())) {
            storage.load();
            long before = storage.syncs();
            storage.persist(null, entries(1, 50, 1), new HardState(1, "n1", 0));
            assertThat(storage.syncs() - before).isEqualTo(1);

            before = storage.syncs();
            storage.persist(null, entries(30, 31, 2), new HardState(2, "n2", 10)); // with a conflict
            assertThat(storage.syncs() - before).isEqualTo(1);

            before = storage.syncs();
            storage.persist(null, List.of(), new HardState(2, "n2", 10)); // nothing new
            assertThat(storage.syncs() - before).isZero();
        }
    }

    @Test
    void leftoverTempFilesOfACrashedWriteAreRemovedOnOpen() throws IOException {
        loadOnce(data());
        Path leftover = data().resolve(FileStorage.SNAPSHOT_FILE + DurableFiles.TMP_SUFFIX);
        Files.write(leftover, new byte[] {1, 2, 3});
        assertThat(loadOnce(data())).isEqualTo(PersistentState.EMPTY);
        assertThat(leftover).doesNotExist();
    }

    @Test
    void loadIsCalledOnceAndBeforeAnyWrite() {
        try (FileStorage storage = open(data())) {
            assertThatThrownBy(() -> storage.append(entries(1, 1, 1))).isInstanceOf(IllegalStateException.class);
            storage.load();
            assertThatThrownBy(storage::load).isInstanceOf(IllegalStateException.class);
        }
    }
}
