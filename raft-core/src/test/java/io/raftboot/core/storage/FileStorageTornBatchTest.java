package io.raftboot.core.storage;

import static io.raftboot.core.storage.StorageContractTest.entries;
import static io.raftboot.core.storage.StorageContractTest.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftboot.core.log.LogEntry;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A power loss in the middle of a {@code persist}: the pages of its batch may reach the disk in
 * any order, so a record in the middle of the last batch can be garbage while a later one is
 * intact. Such a batch was never acknowledged (fsync precedes acknowledgement) and is cut away;
 * the same damage in a batch that a later complete batch follows went bad after it was fsynced,
 * and the node refuses to start.
 */
class FileStorageTornBatchTest extends FileStorageTestSupport {

    private static final HardState FIRST = new HardState(1, "n1", 2);

    /** Offsets of the batches written by {@link #writeBatches}: [start, end) of each. */
    private final List<long[]> batches = new ArrayList<>();

    /** Writes three batches: entries 1-2 with a hard state, entries 3-5, entries 6-7. */
    private PersistentState writeBatches() throws IOException {
        try (FileStorage storage = open(data())) {
            storage.load();
            persist(storage, entries(1, 2, 1), FIRST);
            persist(storage, entries(3, 5, 1), null);
            persist(storage, entries(6, 7, 1), null);
        }
        return loadOnce(data());
    }

    private void persist(FileStorage storage, List<LogEntry> entries, HardState hs) throws IOException {
        long start = Files.size(logFile());
        storage.persist(null, entries, hs);
        batches.add(new long[] {start, Files.size(logFile())});
    }

    /** Overwrites entry {@code index}'s record, in the batch starting at {@code batchStart}, with garbage. */
    private void garbleEntry(long batchStart, List<LogEntry> batchEntries, long index) throws IOException {
        long offset = batchStart;
        for (LogEntry e : batchEntries) {
            int size = LogRecordCodec.entry(e).length;
            if (e.index() == index) {
                byte[] bytes = Files.readAllBytes(logFile());
                for (int i = 0; i < size; i++) {
                    bytes[(int) offset + i] = (byte) 0xA5;
                }
                Files.write(logFile(), bytes);
                return;
            }
            offset += size;
        }
        throw new AssertionError("no entry " + index + " in the batch");
    }

    private long offsetOfEntry(long batchStart, List<LogEntry> batchEntries, long index) {
        long offset = batchStart;
        for (LogEntry e : batchEntries) {
            if (e.index() == index) {
                return offset;
            }
            offset += LogRecordCodec.entry(e).length;
        }
        throw new AssertionError();
    }

    @Test
    void aLastBatchWithAGarbledMiddleRecordAndIntactLaterRecordsButNoMarkerIsCutAwayAsATornTail() throws IOException {
        writeBatches();
        long[] last = batches.get(2);
        long[] second = batches.get(1);
        // Drop the last batch and tear the second into: entry 3 intact, entry 4 garbage, entry 5 intact, no marker.
        truncate(logFile(), second[1] - LogRecordCodec.batchEnd(0, 0, 0).length);
        garbleEntry(second[0], entries(3, 5, 1), 4);
        assertThat(last[0]).isEqualTo(second[1]);

        PersistentState loaded = loadOnce(data());

        assertThat(loaded.entries()).isEqualTo(entries(1, 2, 1));
        assertThat(loaded.hardState()).isEqualTo(FIRST);
        assertThat(Files.size(logFile()))
                .as("cut at the start of the torn batch")
                .isEqualTo(second[0]);
        try (FileStorage storage = open(data())) {
            storage.load();
            storage.append(List.of(entry(3, 2)));
        }
        assertThat(loadOnce(data()).entries())
                .as("the node writes on after the cut")
                .hasSize(3);
    }

    @Test
    void aLastBatchWithAGarbledMiddleRecordIsCutAwayEvenIfItsMarkerReachedTheDisk() throws IOException {
        writeBatches();
        long[] last = batches.get(2);
        garbleEntry(last[0], entries(6, 7, 1), 6); // entry 7 and the marker intact

        PersistentState loaded = loadOnce(data());

        assertThat(loaded.entries()).isEqualTo(entries(1, 5, 1));
        assertThat(Files.size(logFile())).isEqualTo(last[0]);
    }

    @Test
    void aGarbledRecordInAnEarlierMarkedBatchRefusesToStartNamingTheFileAndTheOffset() throws IOException {
        writeBatches();
        long[] second = batches.get(1);
        garbleEntry(second[0], entries(3, 5, 1), 4);
        byte[] before = Files.readAllBytes(logFile());
        long offset = offsetOfEntry(second[0], entries(3, 5, 1), 4);

        try (FileStorage storage = open(data())) {
            assertThatThrownBy(storage::load)
                    .isInstanceOf(StorageException.class)
                    .hasMessageContaining("log file " + logFile().toAbsolutePath())
                    .hasMessageContaining("corrupt at byte offset " + offset + ":")
                    .hasMessageContaining("a complete batch (fsynced before it was acknowledged) ends at byte offset "
                            + batches.get(2)[1])
                    .hasMessageContaining("restore the data directory from a backup");
        }
        assertThat(Files.readAllBytes(logFile()))
                .as("the file is left for inspection")
                .isEqualTo(before);
    }

    @Test
    void aNewDataDirectoryIsCreatedWithItsMissingParentsAndIsUsable() throws IOException {
        Path dir = tmp.resolve("a").resolve("b").resolve("data");

        try (FileStorage storage = open(dir)) {
            assertThat(storage.load()).isEqualTo(PersistentState.EMPTY);
            storage.persist(null, entries(1, 3, 1), FIRST);
        }

        assertThat(Files.isDirectory(dir)).isTrue();
        PersistentState reloaded = loadOnce(dir);
        assertThat(reloaded.entries()).isEqualTo(entries(1, 3, 1));
        assertThat(reloaded.hardState()).isEqualTo(FIRST);
    }

    @Test
    void creatingADataDirectoryFsyncsTheParentOfEveryDirectoryItCreates() {
        org.junit.jupiter.api.Assumptions.assumeFalse(
                System.getProperty("os.name", "").startsWith("Windows"), "directories cannot be fsynced on Windows");
        long existingParent;
        try (FileStorage storage = open(tmp.resolve("one"))) {
            existingParent = storage.syncs(); // the parent of "one", then the meta file and its rename
        }
        long threeLevels;
        try (FileStorage storage = open(tmp.resolve("x").resolve("y").resolve("z"))) {
            threeLevels = storage.syncs();
        }
        try (FileStorage storage = open(tmp.resolve("one"))) {
            assertThat(storage.syncs())
                    .as("an existing directory: nothing to create")
                    .isZero();
        }
        assertThat(existingParent).isEqualTo(3);
        assertThat(threeLevels).isEqualTo(existingParent + 2);
    }

    @Test
    void aVersion2DirectoryIsReadAndItsLogRewrittenWithBatchMarkers() throws IOException {
        Files.createDirectories(data());
        Files.write(data().resolve(MetaFile.NAME), LogRecordCodec.frame(LogRecordCodec.META, version2Meta("n1", "c1")));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        log.writeBytes(LogRecordCodec.logStartUnbatched(0, 0));
        log.writeBytes(LogRecordCodec.hardState(HardState.INITIAL));
        for (LogEntry e : entries(1, 3, 1)) {
            log.writeBytes(LogRecordCodec.entry(e)); // the release before wrote no markers
        }
        log.writeBytes(LogRecordCodec.hardState(FIRST));
        log.writeBytes(new byte[] {0, 0, 0, 9, 1}); // and a torn tail, cut off by the old rule
        Files.write(logFile(), log.toByteArray());

        PersistentState loaded = loadOnce(data());

        assertThat(loaded.entries()).isEqualTo(entries(1, 3, 1));
        assertThat(loaded.hardState()).isEqualTo(FIRST);
        byte[] rewritten = Files.readAllBytes(logFile());
        assertThat(LogRecordCodec.tryRead(rewritten, 0, rewritten.length, 0).type())
                .isEqualTo(LogRecordCodec.LOG_START_BATCHED);
        assertThat(LogRecordCodec.decodeMeta(MetaFile.readSingleRecord(data().resolve(MetaFile.NAME))))
                .isEqualTo(new LogRecordCodec.Meta(LogRecordCodec.FORMAT_VERSION, "n1", "c1"));
        assertThat(loadOnce(data())).isEqualTo(loaded);
    }

    private static byte[] version2Meta(String nodeId, String clusterId) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(LogRecordCodec.FORMAT_VERSION_2);
            out.writeBoolean(true);
            out.writeUTF(nodeId);
            out.writeBoolean(true);
            out.writeUTF(clusterId);
        }
        return bytes.toByteArray();
    }
}
