package io.raftboot.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Any single flipped bit, anywhere in a log of mixed writes: loading either refuses with a
 * {@link StorageException} naming the log file and the offset of the damaged record, or recovers
 * the state after some complete write whose records all lie before the damage (a torn tail).
 * Never a state that was not durable at some point, never a silent loss of what precedes the
 * damage.
 */
class FileStorageBitFlipPropertyTest {

    private static Path root;
    private static Path original;
    private static List<FileStorageTestSupport.Checkpoint> checkpoints;

    /** Reuses the support class's writer outside JUnit Jupiter (jqwik has no @TempDir). */
    private static final class Writer extends FileStorageTestSupport {
        Writer(Path dir) {
            this.tmp = dir;
        }
    }

    @BeforeContainer
    static void writeALog() throws IOException {
        root = Files.createTempDirectory("raft-bitflip");
        Writer w = new Writer(root);
        checkpoints = w.writeOneRecordAtATime(FileStorageTestSupport.mixedSingleRecordWrites());
        original = w.data();
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 400)
    void aFlippedBitIsRefusedOrCutAwayAsATornTail(@ForAll @IntRange(min = 0, max = 1_000_000) int where,
                                                  @ForAll @IntRange(min = 0, max = 7) int bit) throws IOException {
        Path dir = Files.createTempDirectory(root, "try");
        for (String name : new String[] {FileStorage.LOG_FILE, MetaFile.NAME}) {
            Files.copy(original.resolve(name), dir.resolve(name));
        }
        Path log = dir.resolve(FileStorage.LOG_FILE);
        byte[] bytes = Files.readAllBytes(log);
        int offset = where % bytes.length;
        bytes[offset] ^= (byte) (1 << bit);
        Files.write(log, bytes);

        PersistentState loaded;
        try (FileStorage storage = new FileStorage(dir, "n1", "c1")) {
            loaded = storage.load();
        } catch (StorageException refused) {
            assertThat(refused.getMessage()).contains(log.toAbsolutePath().toString()).containsPattern("offset|first record");
            return;
        }
        FileStorageTestSupport.Checkpoint match = checkpoints.stream().filter(c -> c.state().equals(loaded)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("bit " + bit + " flipped at " + offset + " loaded a state that was never durable: " + loaded));
        assertThat(match.logSize()).as("recovered to a write whose records all precede the damage at %d", offset).isLessThanOrEqualTo(offset);
        assertThat(Files.size(log)).isEqualTo(match.logSize());
    }
}
