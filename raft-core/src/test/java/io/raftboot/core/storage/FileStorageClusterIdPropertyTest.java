package io.raftboot.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftboot.core.node.Membership;
import io.raftboot.testsupport.property.Gen;
import io.raftboot.testsupport.property.PropertyLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * For any two cluster ids: a data directory opens under the cluster id it was created with, and
 * under any other one its meta file, or a snapshot file copied from the other cluster, is refused
 * naming the file and both ids; the refused directory is left untouched.
 */
class FileStorageClusterIdPropertyTest {

    @TempDir
    Path root;

    /** Short and similar ids (case, a trailing space, non-ASCII, empty) as often as arbitrary ones. */
    private static String clusterId(SplittableRandom r) {
        return r.nextBoolean()
                ? Gen.oneOf(r, "c1", "C1", "c1 ", "c2", "default", "prod", "prød", "")
                : Gen.string(r, 40);
    }

    private static void writeState(Path dir, String clusterId, long snapshotIndex) {
        try (FileStorage storage = new FileStorage(dir, "n1", clusterId)) {
            storage.load();
            storage.persist(
                    null,
                    List.of(StorageContractTest.entry(1, 1), StorageContractTest.entry(2, 1)),
                    new HardState(1, "n1", 2));
            storage.saveSnapshot(
                    new Snapshot(snapshotIndex, 1, new Membership(Set.of("n1"), Set.of()), new byte[] {1}));
        }
    }

    @Test
    void aDirectoryOpensOnlyUnderItsOwnClusterId() {
        PropertyLoop.forAll(60, r -> {
            String mine = clusterId(r);
            // The same id a quarter of the time, so the accepting branch is checked in every run.
            aDirectoryOpensOnlyUnderItsOwnClusterId(mine, r.nextInt(4) == 0 ? mine : clusterId(r));
        });
    }

    private void aDirectoryOpensOnlyUnderItsOwnClusterId(String mine, String theirs) throws IOException {
        Path dir = Files.createTempDirectory(root, "mine");
        writeState(dir, mine, 2);
        Path meta = dir.resolve(MetaFile.NAME);
        byte[] metaBefore = Files.readAllBytes(meta);

        if (mine.equals(theirs)) {
            try (FileStorage storage = new FileStorage(dir, "n1", theirs)) {
                assertThat(storage.load().hardState()).isEqualTo(new HardState(1, "n1", 2));
            }
        } else {
            assertThatThrownBy(() -> new FileStorage(dir, "n1", theirs))
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining(meta.toString())
                    .hasMessageContaining("belongs to cluster '" + mine + "', not to cluster '" + theirs + "'");
        }
        assertThat(Files.readAllBytes(meta)).isEqualTo(metaBefore);
    }

    @Test
    void aSnapshotFileOfAnotherClusterIsRefused() {
        PropertyLoop.forAll(60, r -> {
            String mine = clusterId(r);
            // The same id a quarter of the time, so the accepting branch is checked in every run.
            aSnapshotFileOfAnotherClusterIsRefused(mine, r.nextInt(4) == 0 ? mine : clusterId(r));
        });
    }

    private void aSnapshotFileOfAnotherClusterIsRefused(String mine, String theirs) throws IOException {
        Path dir = Files.createTempDirectory(root, "mine");
        Path other = Files.createTempDirectory(root, "theirs");
        writeState(dir, mine, 1);
        writeState(other, theirs, 2);
        Path snapshot = dir.resolve(FileStorage.SNAPSHOT_FILE);
        Files.copy(other.resolve(FileStorage.SNAPSHOT_FILE), snapshot, StandardCopyOption.REPLACE_EXISTING);
        byte[] logBefore = Files.readAllBytes(dir.resolve(FileStorage.LOG_FILE));

        try (FileStorage storage = new FileStorage(dir, "n1", mine)) {
            if (mine.equals(theirs)) {
                // Same cluster: a snapshot ahead of the log is an interrupted compaction, finished.
                assertThat(storage.load().snapshot().lastIndex()).isEqualTo(2);
                return;
            }
            assertThatThrownBy(storage::load)
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("snapshot file " + snapshot)
                    .hasMessageContaining("belongs to cluster '" + theirs + "'")
                    .hasMessageContaining("this data directory belongs to cluster '" + mine + "'");
        }
        assertThat(Files.readAllBytes(dir.resolve(FileStorage.LOG_FILE))).isEqualTo(logBefore);
    }
}
