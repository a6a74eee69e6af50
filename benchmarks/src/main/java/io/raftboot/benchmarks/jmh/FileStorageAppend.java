package io.raftboot.benchmarks.jmh;

import io.raftboot.core.log.EntryType;
import io.raftboot.core.log.LogEntry;
import io.raftboot.core.storage.FileStorage;
import io.raftboot.core.storage.HardState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code FileStorage.persist}: a batch of entries (64-byte commands) plus the hard state, made
 * durable with one fsync (group commit). The score is batches per second; entries per second is
 * the score times the batch size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FileStorageAppend {

    @Param({"1", "16", "128"})
    public int batch;

    private Path dir;
    private FileStorage storage;
    private long next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path base = Path.of(System.getProperty("bench.jmh.dir", "target/jmh-storage"));
        Files.createDirectories(base);
        dir = Files.createTempDirectory(base, "fs-");
        storage = new FileStorage(dir, "bench-node", "bench-cluster"); // as a node opens it: ids checked
        storage.load();
        next = 1;
    }

    @Benchmark
    public long persistBatchWithOneFsync() {
        List<LogEntry> entries = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            entries.add(new LogEntry(next++, 1, EntryType.NORMAL, new byte[64]));
        }
        storage.persist(null, entries, new HardState(1, "a", next - 1));
        return next;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        storage.close();
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
