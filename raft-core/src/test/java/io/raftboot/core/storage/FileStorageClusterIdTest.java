package io.raftboot.core.storage;

import static io.raftboot.core.storage.StorageContractTest.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftboot.core.node.Membership;
import io.raftboot.core.storage.LogRecordCodec.Meta;
import io.raftboot.core.storage.LogRecordCodec.StoredSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The cluster id in the data directory (storage format version 2): recorded in the meta and
 * snapshot files, checked at opening, and adopted by a directory of the previous release
 * (format version 1, no cluster id).
 */
class FileStorageClusterIdTest extends FileStorageTestSupport {

    /*
     * Version-1 files as the previous release wrote them: the output of LogRecordCodec.meta("n1"),
     * meta(null) and snapshot(SNAPSHOT) of the release before format version 2, generated with
     * main's LogRecordCodec (unchanged since 2491942, which introduced it). Not re-encoded here, so
     * a change to how version 1 is read cannot hide behind a matching change to how the test
     * writes it.
     */
    private static final byte[] V1_META_N1 = HexFormat.of().parseHex("0000000a2567d5cf05000000010100026e31");
    private static final byte[] V1_META_NO_NODE_ID = HexFormat.of().parseHex("00000006194db893050000000100");
    /** Snapshot[2@1], voters n1, n2, n3, no learners, data {1, 2, 3}. */
    private static final byte[] V1_SNAPSHOT = HexFormat.of()
            .parseHex("0000002cd2efe79c0400000000000000020000000000"
                    + "0000010000000300026e3100026e3200026e330000000000000003010203");

    private static final Snapshot SNAPSHOT =
            new Snapshot(2, 1, new Membership(Set.of("n1", "n2", "n3"), Set.of()), new byte[] {1, 2, 3});

    private Path metaFile() {
        return data().resolve(MetaFile.NAME);
    }

    private Path snapshotFile() {
        return data().resolve(FileStorage.SNAPSHOT_FILE);
    }

    /** Entries 1..3, hard state, snapshot 2@1: the same state a version-1 node would have written. */
    private PersistentState writeState(Path dir, String nodeId, String clusterId) {
        try (FileStorage storage = new FileStorage(dir, nodeId, clusterId)) {
            storage.load();
            storage.persist(null, List.of(entry(1, 1), entry(2, 1), entry(3, 2)), new HardState(2, "n3", 2));
            storage.saveSnapshot(SNAPSHOT);
        }
        return loadOnce(dir, nodeId, clusterId);
    }

    /** Turns data() into what the previous release left: its log format is unchanged. */
    private PersistentState writeVersion1Directory(byte[] meta) throws IOException {
        PersistentState state = writeState(data(), "n1", "c1");
        Files.write(metaFile(), meta);
        Files.write(snapshotFile(), V1_SNAPSHOT);
        return state;
    }

    private static Meta meta(Path file) throws IOException {
        return LogRecordCodec.decodeMeta(MetaFile.readSingleRecord(file));
    }

    private static StoredSnapshot snapshot(Path file) throws IOException {
        return LogRecordCodec.decodeSnapshotFile(MetaFile.readSingleRecord(file));
    }

    @Test
    void theVersion1FixturesAreWhatTheyClaim() throws IOException {
        Path file = tmp.resolve("fixture");
        Files.write(file, V1_META_N1);
        assertThat(meta(file)).isEqualTo(new Meta(1, "n1", null));
        Files.write(file, V1_META_NO_NODE_ID);
        assertThat(meta(file)).isEqualTo(new Meta(1, null, null));
        Files.write(file, V1_SNAPSHOT);
        assertThat(snapshot(file)).isEqualTo(new StoredSnapshot(1, null, SNAPSHOT));
    }

    @Test
    void aNewDirectoryRecordsTheClusterIdInItsMetaAndSnapshotFiles() throws IOException {
        writeState(data(), "n1", "c1");
        assertThat(meta(metaFile())).isEqualTo(new Meta(LogRecordCodec.FORMAT_VERSION, "n1", "c1"));
        assertThat(snapshot(snapshotFile()))
                .isEqualTo(new StoredSnapshot(LogRecordCodec.FORMAT_VERSION, "c1", SNAPSHOT));
    }

    @Test
    void aDirectoryOfAnotherClusterIsRefusedAtOpeningNamingTheMetaFileBothIdsAndWhatToDo() throws IOException {
        writeState(data(), "n1", "blue");
        byte[] metaBefore = Files.readAllBytes(metaFile());
        assertThatThrownBy(() -> new FileStorage(data(), "n1", "green"))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("meta file " + metaFile().toAbsolutePath())
                .hasMessageContaining(
                        "belongs to cluster 'blue', not to cluster 'green' (raft.cluster-id) of node 'n1'")
                .hasMessageContaining("Point raft.data-dir at this node's directory of cluster 'green'")
                .hasMessageContaining("delete (or move away) this directory")
                .hasMessageContaining("set raft.cluster-id back to 'blue'");
        assertThat(Files.readAllBytes(metaFile())).isEqualTo(metaBefore);
        assertThat(loadOnce(data(), "n1", "blue").hardState()).isEqualTo(new HardState(2, "n3", 2));
    }

    @Test
    void aDirectoryOfAnotherNodeIsRefusedNamingTheMetaFileInTheSameWay() {
        writeState(data(), "n2", "c1");
        assertThatThrownBy(() -> open(data()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("meta file " + metaFile().toAbsolutePath())
                .hasMessageContaining("belongs to node 'n2', not to node 'n1' (raft.node-id)")
                .hasMessageContaining("raft.data-dir");
    }

    @Test
    void aVersion1DirectoryOpensWithItsStateAndAdoptsTheConfiguredClusterId() throws IOException {
        PersistentState before = writeVersion1Directory(V1_META_N1);

        assertThat(loadOnce(data(), "n1", "c1")).isEqualTo(before);

        assertThat(meta(metaFile())).isEqualTo(new Meta(LogRecordCodec.FORMAT_VERSION, "n1", "c1"));
        assertThat(snapshot(snapshotFile()))
                .isEqualTo(new StoredSnapshot(LogRecordCodec.FORMAT_VERSION, "c1", SNAPSHOT));
        assertThat(loadOnce(data(), "n1", "c1")).isEqualTo(before);
        assertThatThrownBy(() -> new FileStorage(data(), "n1", "c2"))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("belongs to cluster 'c1', not to cluster 'c2'");
    }

    @Test
    void aVersion1DirectoryWithoutSnapshotOrNodeIdAdoptsBothIds() throws IOException {
        PersistentState before = writeVersion1Directory(V1_META_NO_NODE_ID);
        Files.delete(snapshotFile()); // the log still starts after 2@1: put a snapshot back below
        assertThatThrownBy(() -> loadOnce(data(), "n1", "c1"))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("snapshot file was lost");
        assertThat(meta(metaFile()))
                .as("a refused version-1 directory is left as it was")
                .isEqualTo(new Meta(1, null, null));

        Files.write(snapshotFile(), V1_SNAPSHOT);
        assertThat(loadOnce(data(), "n1", "c1")).isEqualTo(before);
        assertThat(meta(metaFile())).isEqualTo(new Meta(LogRecordCodec.FORMAT_VERSION, "n1", "c1"));
        assertThatThrownBy(() -> new FileStorage(data(), "n2", "c1"))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("belongs to node 'n1', not to node 'n2'");
    }

    @Test
    void anEmptyVersion1DirectoryAdoptsTheClusterIdOnItsFirstLoad() throws IOException {
        Files.createDirectories(data());
        Files.write(metaFile(), V1_META_N1);
        assertThat(loadOnce(data(), "n1", "c1")).isEqualTo(PersistentState.EMPTY);
        assertThat(meta(metaFile())).isEqualTo(new Meta(LogRecordCodec.FORMAT_VERSION, "n1", "c1"));
    }

    @Test
    void anUpgradeInterruptedBetweenTheSnapshotAndTheMetaFileIsFinishedAndKeepsTheAdoptedId() throws IOException {
        PersistentState before = writeVersion1Directory(V1_META_N1);
        loadOnce(data(), "n1", "c1");
        Files.write(metaFile(), V1_META_N1); // the crash came after the snapshot's rename, before the meta's
        Path copy = copyOfData("interrupted");

        assertThat(loadOnce(data(), "n1", "c1")).isEqualTo(before);
        assertThat(meta(metaFile())).isEqualTo(new Meta(LogRecordCodec.FORMAT_VERSION, "n1", "c1"));

        // Half-adopted by c1, so another cluster id is refused by the snapshot file, not adopted.
        assertThatThrownBy(() -> loadOnce(copy, "n1", "c2"))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(
                        copy.resolve(FileStorage.SNAPSHOT_FILE).toAbsolutePath().toString())
                .hasMessageContaining("belongs to cluster 'c1'")
                .hasMessageContaining("cluster 'c2'");
        assertThat(meta(copy.resolve(MetaFile.NAME))).isEqualTo(new Meta(1, "n1", null));
    }

    @Test
    void aVersion1SnapshotInAnUpgradedDirectoryIsRefusedAsCopiedFromElsewhere() throws IOException {
        writeState(data(), "n1", "c1");
        Files.write(snapshotFile(), V1_SNAPSHOT);
        try (FileStorage storage = open(data())) {
            assertThatThrownBy(storage::load)
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("snapshot file " + snapshotFile().toAbsolutePath())
                    .hasMessageContaining("records no cluster id (format version 1)")
                    .hasMessageContaining("cluster 'c1'")
                    .hasMessageContaining("copied here from another directory");
        }
    }

    @Test
    void aMetaFileOfAnUnknownFormatVersionIsRefusedNamingItAndTheVersion() throws IOException {
        writeState(data(), "n1", "c1");
        Files.write(metaFile(), LogRecordCodec.frame(LogRecordCodec.META, new byte[] {0, 0, 0, 4, 7, 7, 7}));
        assertThatThrownBy(() -> open(data()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("meta file " + metaFile().toAbsolutePath())
                .hasMessageContaining("storage format version 4")
                .hasMessageContaining("reads only versions 1 to 3");
    }

    @Test
    void aStorageOpenedWithoutIdsKeepsTheDirectorysClusterIdInTheSnapshotsItWrites() throws IOException {
        writeState(data(), "n1", "c1");
        try (FileStorage storage = new FileStorage(data())) {
            storage.load();
            storage.persist(null, List.of(entry(4, 2)), null);
            storage.saveSnapshot(new Snapshot(4, 2, SNAPSHOT.membership(), new byte[] {4}));
        }
        assertThat(snapshot(snapshotFile()).clusterId()).isEqualTo("c1");
        assertThat(loadOnce(data(), "n1", "c1").snapshot().lastIndex()).isEqualTo(4);
    }

    @Test
    void aDirectoryCreatedWithoutAClusterIdAdoptsOneLikeAVersion1Directory() throws IOException {
        try (FileStorage storage = new FileStorage(data(), "n1", null)) {
            storage.load();
            storage.persist(null, List.of(entry(1, 1), entry(2, 1)), new HardState(1, "n1", 2));
            storage.saveSnapshot(new Snapshot(2, 1, SNAPSHOT.membership(), new byte[] {2}));
        }
        assertThat(snapshot(snapshotFile()).clusterId()).isNull();
        PersistentState before = loadOnce(data(), "n1", null);
        assertThat(loadOnce(data(), "n1", "c1")).isEqualTo(before);
        assertThat(meta(metaFile())).isEqualTo(new Meta(LogRecordCodec.FORMAT_VERSION, "n1", "c1"));
        assertThat(snapshot(snapshotFile()).clusterId()).isEqualTo("c1");
    }

    private static PersistentState loadOnce(Path dir, String nodeId, String clusterId) {
        try (FileStorage storage = new FileStorage(dir, nodeId, clusterId)) {
            return storage.load();
        }
    }
}
