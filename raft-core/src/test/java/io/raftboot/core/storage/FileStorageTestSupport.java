package io.raftboot.core.storage;

import static io.raftboot.core.storage.StorageContractTest.entry;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/** Shared set-up of the FileStorage tests: a data directory and ways to damage its files. */
abstract class FileStorageTestSupport {

    @TempDir
    Path tmp;

    protected Path data() {
        return tmp.resolve("data");
    }

    protected Path logFile() {
        return data().resolve(FileStorage.LOG_FILE);
    }

    protected FileStorage open(Path dir) {
        return new FileStorage(dir, "n1", "c1");
    }

    protected PersistentState loadOnce(Path dir) {
        try (FileStorage storage = open(dir)) {
            return storage.load();
        }
    }

    /** Size of the log file after each write, and what a restart right then would load. */
    protected record Checkpoint(long logSize, PersistentState state) {}

    /**
     * Runs {@code writes} (each writing exactly one log record) against a FileStorage and a
     * MemoryStorage side by side; returns a checkpoint before the first write and after each.
     */
    protected List<Checkpoint> writeOneRecordAtATime(List<Consumer<Storage>> writes) throws IOException {
        List<Checkpoint> checkpoints = new ArrayList<>();
        MemoryStorage model = new MemoryStorage();
        try (FileStorage storage = open(data())) {
            storage.load();
            checkpoints.add(new Checkpoint(Files.size(logFile()), model.current()));
            for (Consumer<Storage> write : writes) {
                write.accept(storage);
                write.accept(model);
                checkpoints.add(new Checkpoint(Files.size(logFile()), model.current()));
            }
        }
        return checkpoints;
    }

    protected static List<Consumer<Storage>> mixedSingleRecordWrites() {
        List<Consumer<Storage>> writes = new ArrayList<>();
        writes.add(s -> s.saveHardState(new HardState(1, "n1", 0)));
        for (long i = 1; i <= 4; i++) {
            long index = i;
            writes.add(s -> s.append(List.of(entry(index, 1))));
        }
        writes.add(s -> s.saveHardState(new HardState(1, "n1", 2)));
        writes.add(s -> s.append(List.of(entry(3, 2)))); // conflict: truncates 3..4
        writes.add(s -> s.saveHardState(new HardState(2, null, 2)));
        writes.add(s -> s.append(List.of(entry(4, 2))));
        writes.add(s -> s.append(List.of(entry(5, 2))));
        writes.add(s -> s.saveHardState(new HardState(3, "n2", 5)));
        return writes;
    }

    protected Path copyOfData(String name) throws IOException {
        Path copy = tmp.resolve(name);
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(data())) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        return copy;
    }

    protected static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
        }
    }

    protected static void flipBit(Path file, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[(int) offset] ^= 0x10;
        Files.write(file, bytes);
    }
}
