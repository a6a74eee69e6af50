package io.raftboot.core.storage;

import static io.raftboot.core.storage.StorageContractTest.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftboot.core.node.Membership;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Damaged and foreign files in a data directory: each gives a correct recovery (a torn tail) or a
 * refusal to start that names the file and what to do; never a silent reset of term or vote, and
 * never another node's or another cluster's state taken as this node's.
 */
class FileStorageHostileFilesTest extends FileStorageTestSupport {

    private static Snapshot snapshotOf(long index, long term, Set<String> voters) {
        return new Snapshot(index, term, new Membership(voters, Set.of()), new byte[] {1, 2, 3});
    }

    private void writeSomeState(Path dir, String nodeId, Set<String> voters) {
        try (FileStorage storage = new FileStorage(dir, nodeId)) {
            storage.load();
            storage.persist(null, List.of(entry(1, 1), entry(2, 1), entry(3, 2)), new HardState(2, nodeId, 2));
            storage.saveSnapshot(snapshotOf(2, 1, voters));
        }
    }

    @Test
    void aZeroLengthLogIsRefusedBecauseTheTermAndVoteWouldBeLost() throws IOException {
        writeSomeState(data(), "n1", Set.of("n1", "n2", "n3"));
        truncate(logFile(), 0);
        try (FileStorage storage = open(data())) {
            assertThatThrownBy(storage::load).isInstanceOf(StorageException.class)
                    .hasMessageContaining(logFile().toAbsolutePath().toString()).hasMessageContaining("vote");
        }
    }

    @Test
    void aZeroLengthOrDamagedMetaFileIsRefusedNamingIt() throws IOException {
        writeSomeState(data(), "n1", Set.of("n1", "n2", "n3"));
        Path meta = data().resolve(MetaFile.NAME);
        Path damaged = copyOfData("damaged-meta");
        flipBit(damaged.resolve(MetaFile.NAME), 3);
        truncate(meta, 0);
        for (Path dir : List.of(data(), damaged)) {
            assertThatThrownBy(() -> loadOnce(dir)).as(dir.toString()).isInstanceOf(StorageException.class)
                    .hasMessageContaining(dir.resolve(MetaFile.NAME).toAbsolutePath().toString()).hasMessageContaining("restore");
        }
    }

    @Test
    void aZeroLengthTruncatedOrBitFlippedSnapshotIsRefusedNamingIt() throws IOException {
        writeSomeState(data(), "n1", Set.of("n1", "n2", "n3"));
        long size = Files.size(data().resolve(FileStorage.SNAPSHOT_FILE));
        for (long at = 0; at < size; at++) {
            for (boolean flip : new boolean[] {true, false}) {
                Path copy = copyOfData((flip ? "flip-" : "cut-") + at);
                Path snapshot = copy.resolve(FileStorage.SNAPSHOT_FILE);
                if (flip) {
                    flipBit(snapshot, at);
                } else {
                    truncate(snapshot, at);
                }
                try (FileStorage storage = open(copy)) {
                    assertThatThrownBy(storage::load).as("%s at byte %d", flip ? "bit flipped" : "cut", at)
                            .isInstanceOf(StorageException.class)
                            .hasMessageContaining(snapshot.toAbsolutePath().toString());
                }
            }
        }
    }

    @Test
    void garbageAppendedToTheLogIsATornTailAndTheStateIsKept() throws IOException {
        writeSomeState(data(), "n1", Set.of("n1", "n2", "n3"));
        PersistentState before = loadOnce(data());
        long size = Files.size(logFile());
        byte[] garbage = new byte[37];
        new java.util.Random(7).nextBytes(garbage);
        Files.write(logFile(), garbage, java.nio.file.StandardOpenOption.APPEND);
        assertThat(loadOnce(data())).isEqualTo(before);
        assertThat(Files.size(logFile())).isEqualTo(size);
    }

    @Test
    void aDataDirectoryOfAnotherNodeIsRefusedNamingBothIds() {
        writeSomeState(data(), "n2", Set.of("n1", "n2", "n3"));
        assertThatThrownBy(() -> loadOnce(data())).isInstanceOf(StorageException.class)
                .hasMessageContaining("belongs to node 'n2', not to node 'n1'").hasMessageContaining("raft.data-dir");
    }

    @Test
    @Disabled("BUG: FileStorage takes a snapshot file whose membership does not even contain this node (copied from "
            + "another cluster) as its own interrupted compaction: it loads the foreign state machine and discards its log "
            + "without a word. It should refuse, naming the snapshot file and its members. Fix in raft-core FileStorage/MetaFile.")
    void aSnapshotFromAClusterThisNodeIsNotInIsRefused() throws IOException {
        writeSomeState(data(), "n1", Set.of("n1", "n2", "n3"));
        Path foreign = tmp.resolve("foreign");
        writeSomeState(foreign, "n1x", Set.of("a", "b", "c"));
        try (FileStorage storage = new FileStorage(foreign, "n1x")) {
            storage.load();
            storage.saveSnapshot(snapshotOf(9, 5, Set.of("a", "b", "c")));
        }
        Files.copy(foreign.resolve(FileStorage.SNAPSHOT_FILE), data().resolve(FileStorage.SNAPSHOT_FILE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (FileStorage storage = open(data())) {
            assertThatThrownBy(storage::load).isInstanceOf(StorageException.class)
                    .hasMessageContaining(data().resolve(FileStorage.SNAPSHOT_FILE).toAbsolutePath().toString())
                    .hasMessageContaining("n1");
        }
    }

    @Test
    @Disabled("BUG (missing check): the data directory records no cluster id, so a snapshot (or a whole directory) "
            + "from a node of the same id in another cluster is loaded as this node's. FileStorage should record the "
            + "cluster id in its meta file and snapshots and refuse a mismatch, naming the file. Needs a raft-core API change "
            + "(FileStorage(dir, nodeId, clusterId)).")
    void aSnapshotFromAnotherClusterWithTheSameNodeIdsIsRefused() throws IOException {
        writeSomeState(data(), "n1", Set.of("n1", "n2", "n3"));
        Path other = tmp.resolve("other-cluster");
        try (FileStorage storage = new FileStorage(other, "n1")) {
            storage.load();
            storage.saveSnapshot(snapshotOf(9, 5, Set.of("n1", "n2", "n3")));
        }
        Files.copy(other.resolve(FileStorage.SNAPSHOT_FILE), data().resolve(FileStorage.SNAPSHOT_FILE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (FileStorage storage = open(data())) {
            assertThatThrownBy(storage::load).isInstanceOf(StorageException.class)
                    .hasMessageContaining(data().resolve(FileStorage.SNAPSHOT_FILE).toAbsolutePath().toString());
        }
    }
}
