package io.raftboot.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.testsupport.property.Gen;
import io.raftboot.testsupport.property.PropertyLoop;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Any single flipped bit, anywhere in a log of mixed writes: loading either refuses with a
 * {@link StorageException} naming the log file and the offset of the damaged record, or recovers
 * the state after some complete write whose records all lie before the damage (a torn tail).
 * Never a state that was not durable at some point, never a silent loss of what precedes the
 * damage.
 */
class FileStorageBitFlipPropertyTest extends FileStorageTestSupport {

    @Test
    void aFlippedBitIsRefusedOrCutAwayAsATornTail() throws IOException {
        List<Checkpoint> checkpoints = writeOneRecordAtATime(mixedSingleRecordWrites());
        Path original = data();
        int logSize = (int) Files.size(original.resolve(FileStorage.LOG_FILE));
        PropertyLoop.forAll(400, r -> {
            // The first and the last byte of the log as often as any edge case, else anywhere.
            int offset = Gen.edge(r) ? (r.nextBoolean() ? 0 : logSize - 1) : r.nextInt(logSize);
            int bit = Gen.intBetween(r, 0, 7);
            Path dir = Files.createTempDirectory(tmp, "try");
            for (String name : new String[] {FileStorage.LOG_FILE, MetaFile.NAME}) {
                Files.copy(original.resolve(name), dir.resolve(name));
            }
            Path log = dir.resolve(FileStorage.LOG_FILE);
            byte[] bytes = Files.readAllBytes(log);
            bytes[offset] ^= (byte) (1 << bit);
            Files.write(log, bytes);

            PersistentState loaded;
            try (FileStorage storage = new FileStorage(dir, "n1", "c1")) {
                loaded = storage.load();
            } catch (StorageException refused) {
                assertThat(refused.getMessage())
                        .contains(log.toAbsolutePath().toString())
                        .containsPattern("offset|first record");
                return;
            }
            Checkpoint match = checkpoints.stream()
                    .filter(c -> c.state().equals(loaded))
                    .reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("bit " + bit + " flipped at " + offset
                            + " loaded a state that was never durable: " + loaded));
            assertThat(match.logSize())
                    .as("recovered to a write whose records all precede the damage at %d", offset)
                    .isLessThanOrEqualTo(offset);
            assertThat(Files.size(log)).isEqualTo(match.logSize());
        });
    }
}
