package io.raftboot.core.storage;

import static io.raftboot.core.storage.StorageContractTest.entries;
import static io.raftboot.core.storage.StorageContractTest.entry;
import static io.raftboot.core.storage.StorageContractTest.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftboot.core.log.LogEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What FileStorage reads back after crashes and damage. */
class FileStorageRecoveryTest extends FileStorageTestSupport {

    @Test
    void aTornTailAtAnyByteRecoversTheStateAfterTheLastCompleteWriteAndNeverResurrectsGarbage() throws IOException {
        List<Checkpoint> checkpoints = writeOneRecordAtATime(mixedSingleRecordWrites());
        long fullSize = checkpoints.get(checkpoints.size() - 1).logSize();
        // A cut inside the first batch (the file as created) is damage, not a torn write: see below.
        long firstBatchSize = checkpoints.get(0).logSize();
        int checked = 0;
        for (long cut = firstBatchSize; cut < fullSize; cut++) {
            Path copy = copyOfData("cut-" + cut);
            truncate(copy.resolve(FileStorage.LOG_FILE), cut);
            Checkpoint expected = checkpoints.get(0);
            for (Checkpoint c : checkpoints) {
                if (c.logSize() <= cut) {
                    expected = c;
                }
            }
            // The file cut back to exactly the last complete write holds no garbage; writing on
            // after it (checked at every 5th cut and around record boundaries, an fsync each)
            // must not bring any back either.
            boolean writeOn = cut % 5 == 0 || cut - expected.logSize() < 2 || nextSize(checkpoints, cut) - cut <= 2;
            LogEntry next = entry(expected.state().entries().size() + 1, 9);
            try (FileStorage storage = open(copy)) {
                assertThat(storage.load()).as("cut at byte %d", cut).isEqualTo(expected.state());
                assertThat(Files.size(copy.resolve(FileStorage.LOG_FILE))).isEqualTo(expected.logSize());
                if (!writeOn) {
                    checked++;
                    continue;
                }
                storage.append(List.of(next));
            }
            List<LogEntry> afterAppend = new ArrayList<>(expected.state().entries());
            afterAppend.add(next);
            assertThat(loadOnce(copy).entries())
                    .as("cut at byte %d, then one append", cut)
                    .isEqualTo(afterAppend);
            checked++;
        }
        assertThat(checked).isGreaterThan(300);
    }

    /** The offset in "is corrupt at byte offset N:". */
    private static long corruptOffset(String message) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("corrupt at byte offset (\\d+):")
                .matcher(message);
        assertThat(m.find()).as(message).isTrue();
        return Long.parseLong(m.group(1));
    }

    private static long nextSize(List<Checkpoint> checkpoints, long cut) {
        return checkpoints.stream()
                .mapToLong(Checkpoint::logSize)
                .filter(size -> size > cut)
                .min()
                .orElse(cut);
    }

    @Test
    void aTornPersistBatchLeavesAPrefixOfItsEntriesAndTheHardStateOnlyAfterAllOfThem() throws IOException {
        long before;
        try (FileStorage storage = open(data())) {
            storage.load();
            storage.persist(null, entries(1, 2, 1), new HardState(1, "n1", 0));
            before = Files.size(logFile());
            storage.persist(null, entries(3, 6, 2), new HardState(2, "n2", 2));
        }
        long after = Files.size(logFile());
        for (long cut = before; cut < after; cut++) {
            Path copy = copyOfData("cut-" + cut);
            truncate(copy.resolve(FileStorage.LOG_FILE), cut);
            PersistentState state = loadOnce(copy);
            assertThat(state.entries()).as("cut at byte %d", cut).hasSizeBetween(2, 6);
            List<LogEntry> expected = new ArrayList<>(entries(1, 2, 1));
            expected.addAll(entries(3, state.entries().size(), 2));
            assertThat(state.entries()).isEqualTo(expected);
            assertThat(state.hardState()).as("cut at byte %d", cut).isEqualTo(new HardState(1, "n1", 0));
        }
        assertThat(loadOnce(data()).hardState()).isEqualTo(new HardState(2, "n2", 2));
    }

    @Test
    void aBadByteInsideTheLogStopsTheNodeNamingTheFileAndTheRecordOffset() throws IOException {
        List<Checkpoint> checkpoints = writeOneRecordAtATime(mixedSingleRecordWrites());
        long recordStart = checkpoints.get(3).logSize(); // the record written by the 4th write
        long recordEnd = checkpoints.get(4).logSize();
        for (long offset = recordStart; offset < recordEnd; offset++) {
            Path copy = copyOfData("flip-" + offset);
            Path log = copy.resolve(FileStorage.LOG_FILE);
            flipBit(log, offset);
            try (FileStorage storage = open(copy)) {
                assertThatThrownBy(storage::load)
                        .as("bit flipped at byte %d", offset)
                        .isInstanceOf(StorageException.class)
                        .hasMessageContaining(log.toAbsolutePath().toString())
                        .hasMessageContaining("restore")
                        .satisfies(e -> assertThat(corruptOffset(e.getMessage()))
                                .as("the damaged record's offset")
                                .isBetween(recordStart, recordEnd - 1));
                assertThatThrownBy(() -> storage.append(entries(1, 1, 1))).isInstanceOf(StorageException.class);
            }
            assertThat(Files.size(log))
                    .as("the damaged file is left as it was")
                    .isEqualTo(checkpoints.get(checkpoints.size() - 1).logSize());
        }
    }

    @Test
    void aBadByteInTheLastRecordIsATornTail() throws IOException {
        List<Checkpoint> checkpoints = writeOneRecordAtATime(mixedSingleRecordWrites());
        Checkpoint beforeLast = checkpoints.get(checkpoints.size() - 2);
        long end = checkpoints.get(checkpoints.size() - 1).logSize();
        for (long offset = beforeLast.logSize(); offset < end; offset++) {
            Path copy = copyOfData("flip-" + offset);
            flipBit(copy.resolve(FileStorage.LOG_FILE), offset);
            assertThat(loadOnce(copy)).as("bit flipped at byte %d", offset).isEqualTo(beforeLast.state());
            assertThat(Files.size(copy.resolve(FileStorage.LOG_FILE))).isEqualTo(beforeLast.logSize());
        }
    }

    @Test
    void aLogCutInsideItsFirstBatchIsRefusedBecauseTheVoteIsLost() throws IOException {
        long firstBatchSize =
                writeOneRecordAtATime(mixedSingleRecordWrites()).get(0).logSize();
        for (long cut = 0; cut < firstBatchSize; cut++) {
            Path copy = copyOfData("cut-" + cut);
            truncate(copy.resolve(FileStorage.LOG_FILE), cut);
            try (FileStorage storage = open(copy)) {
                assertThatThrownBy(storage::load)
                        .isInstanceOf(StorageException.class)
                        .hasMessageContaining(
                                cut < LogRecordCodec.logStart(0, 0).length
                                        ? "no valid first record (it is " + cut + " bytes long)"
                                        : "damaged within its first batch")
                        .hasMessageContaining("vote");
            }
            assertThat(Files.size(copy.resolve(FileStorage.LOG_FILE)))
                    .as("the file is left for inspection")
                    .isEqualTo(cut);
        }
    }

    @Test
    void aCrashBetweenTheSnapshotAndTheLogRewriteIsFinishedOnLoad() throws IOException {
        // {snapshot index, snapshot term}: holds its last entry; same index, other term; beyond the log.
        for (long[] snap : new long[][] {{7, 1}, {7, 2}, {20, 1}}) {
            long snapIndex = snap[0];
            long snapTerm = snap[1];
            Path dir = tmp.resolve("crash-" + snapIndex + "-" + snapTerm);
            try (FileStorage storage = open(dir)) {
                storage.load();
                storage.persist(null, entries(1, 10, 1), new HardState(1, "n1", 8));
            }
            Path other = tmp.resolve("other-" + snapIndex + "-" + snapTerm);
            try (FileStorage storage = open(other)) {
                storage.load();
                storage.saveSnapshot(snapshot(snapIndex, snapTerm));
            }
            // As if the new snapshot file had been renamed in and the node died before the log's rewrite.
            Files.copy(other.resolve(FileStorage.SNAPSHOT_FILE), dir.resolve(FileStorage.SNAPSHOT_FILE));

            List<LogEntry> kept = snapIndex == 7 && snapTerm == 1 ? entries(8, 10, 1) : List.of();
            try (FileStorage storage = open(dir)) {
                PersistentState state = storage.load();
                assertThat(state.snapshot()).isEqualTo(snapshot(snapIndex, snapTerm));
                assertThat(state.entries()).isEqualTo(kept);
                assertThat(state.hardState()).isEqualTo(new HardState(1, "n1", 8));
                storage.append(List.of(entry(snapIndex + kept.size() + 1, 3)));
            }
            List<LogEntry> expected = new ArrayList<>(kept);
            expected.add(entry(snapIndex + kept.size() + 1, 3));
            assertThat(loadOnce(dir).entries()).isEqualTo(expected);
        }
    }

    @Test
    void aLogThatStartsAfterAMissingSnapshotIsRefused() throws IOException {
        try (FileStorage storage = open(data())) {
            storage.load();
            storage.append(entries(1, 5, 1));
            storage.saveSnapshot(snapshot(3, 1));
        }
        Files.delete(data().resolve(FileStorage.SNAPSHOT_FILE));
        try (FileStorage storage = open(data())) {
            assertThatThrownBy(storage::load)
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("starts after entry 3@1");
        }
    }
}
