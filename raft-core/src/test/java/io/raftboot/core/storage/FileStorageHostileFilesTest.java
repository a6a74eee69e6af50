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
        writeSomeState(dir, nodeId, "c1", voters);
    }

    private void writeSomeState(Path dir, String nodeId, String clusterId, Set<String> voters) {
        try (FileStorage storage = new FileStorage(dir, nodeId, clusterId)) {
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
            assertThatThrownBy(storage::load)
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining(logFile().toAbsolutePath().toString())
                    .hasMessageContaining("vote");
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
            assertThatThrownBy(() -> loadOnce(dir))
                    .as(dir.toString())
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining(
                            dir.resolve(MetaFile.NAME).toAbsolutePath().toString())
                    .hasMessageContaining("restore");
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
                    assertThatThrownBy(storage::load)
                            .as("%s at byte %d", flip ? "bit flipped" : "cut", at)
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
        assertThatThrownBy(() -> loadOnce(data()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("belongs to node 'n2', not to node 'n1'")
                .hasMessageContaining("raft.data-dir");
    }

    /**
     * Was {@code @Disabled} as a bug: a snapshot file copied from another cluster was taken as this
     * node's interrupted compaction (its state machine loaded, the log discarded). The snapshot's
     * members are not the check (a node's own snapshot may legitimately leave it out: it may be
     * being removed, or have received the leader's snapshot from before it was added); the cluster
     * id recorded in the snapshot file is.
     */
    @Test
    void aSnapshotFromAClusterThisNodeIsNotInIsRefused() throws IOException {
        writeSomeState(data(), "n1", "c1", Set.of("n1", "n2", "n3"));
        Path foreign = tmp.resolve("foreign");
        writeSomeState(foreign, "n1x", "other", Set.of("a", "b", "c"));
        try (FileStorage storage = new FileStorage(foreign, "n1x", "other")) {
            storage.load();
            storage.saveSnapshot(snapshotOf(9, 5, Set.of("a", "b", "c")));
        }
        Files.copy(
                foreign.resolve(FileStorage.SNAPSHOT_FILE),
                data().resolve(FileStorage.SNAPSHOT_FILE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        byte[] logBefore = Files.readAllBytes(logFile());
        byte[] metaBefore = Files.readAllBytes(data().resolve(MetaFile.NAME));
        try (FileStorage storage = open(data())) {
            assertThatThrownBy(storage::load)
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining(data().resolve(FileStorage.SNAPSHOT_FILE)
                            .toAbsolutePath()
                            .toString())
                    .hasMessageContaining("node 'n1'")
                    .hasMessageContaining("belongs to cluster 'other'")
                    .hasMessageContaining("cluster 'c1'")
                    .hasMessageContaining("voters [a, b, c]")
                    .hasMessageContaining("catches up from the leader");
        }
        // Refused, not repaired: the term, vote and log on disk are as they were.
        assertThat(Files.readAllBytes(logFile())).isEqualTo(logBefore);
        assertThat(Files.readAllBytes(data().resolve(MetaFile.NAME))).isEqualTo(metaBefore);
    }

    /**
     * Was {@code @Disabled} as a missing check: the data directory recorded no cluster id, so a
     * snapshot (or a whole directory) of a node of the same id in another cluster was loaded as
     * this node's.
     */
    @Test
    void aSnapshotFromAnotherClusterWithTheSameNodeIdsIsRefused() throws IOException {
        writeSomeState(data(), "n1", "c1", Set.of("n1", "n2", "n3"));
        Path other = tmp.resolve("other-cluster");
        try (FileStorage storage = new FileStorage(other, "n1", "c2")) {
            storage.load();
            storage.saveSnapshot(snapshotOf(9, 5, Set.of("n1", "n2", "n3")));
        }
        Files.copy(
                other.resolve(FileStorage.SNAPSHOT_FILE),
                data().resolve(FileStorage.SNAPSHOT_FILE),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (FileStorage storage = open(data())) {
            assertThatThrownBy(storage::load)
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining(data().resolve(FileStorage.SNAPSHOT_FILE)
                            .toAbsolutePath()
                            .toString())
                    .hasMessageContaining("belongs to cluster 'c2'")
                    .hasMessageContaining("cluster 'c1'");
        }
        // The whole directory of the other cluster's n1: refused at opening, by its meta file.
        assertThatThrownBy(() -> open(other))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(
                        other.resolve(MetaFile.NAME).toAbsolutePath().toString())
                .hasMessageContaining("belongs to cluster 'c2', not to cluster 'c1'")
                .hasMessageContaining("raft.data-dir")
                .hasMessageContaining("raft.cluster-id");
    }
}
