package io.raftboot.benchmarks.inproc;

import io.raftboot.benchmarks.Result;
import io.raftboot.benchmarks.Run;
import io.raftboot.benchmarks.scenario.Footprint;
import io.raftboot.core.log.EntryType;
import io.raftboot.core.log.LogEntry;
import io.raftboot.core.node.Membership;
import io.raftboot.core.storage.FileStorage;
import io.raftboot.core.storage.HardState;
import io.raftboot.core.storage.Snapshot;
import io.raftboot.core.store.ConfigCommand;
import io.raftboot.core.store.ConfigStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Part of scenario 6: what a full config store costs. {@link ConfigStore#DEFAULT_MAX_KEYS} keys
 * (10,000, the default limit) are written as they would be replicated: each put one log entry in a
 * {@link FileStorage} (batches of 64, one fsync each), applied to a {@link ConfigStore}. Measured:
 * the heap the store holds (heap used after a full GC, with the store minus without it), the log
 * on disk, the snapshot's size, and the data directory after compacting the log into that
 * snapshot. Two value sizes: 32 bytes (a flag or a URL) and 1 KiB (a small document).
 */
public final class StoreFootprint {

    private static final int KEYS = ConfigStore.DEFAULT_MAX_KEYS;
    private static final int BATCH = 64;

    private final Run run;
    private final Path work;

    public StoreFootprint(Run run, Path work) {
        this.run = run;
        this.work = work;
    }

    public void measure() throws IOException {
        for (int valueBytes : new int[] {32, 1024}) {
            measure(valueBytes);
        }
    }

    private void measure(int valueBytes) throws IOException {
        Path dir = Files.createDirectories(work.resolve("store-" + valueBytes));
        byte[] value = new byte[valueBytes];
        Arrays.fill(value, (byte) 'v');
        ConfigStore store = new ConfigStore();
        Disk disk = writeAndCompact(dir, store, value);
        if (store.size() != KEYS) {
            throw new IllegalStateException("the store holds " + store.size() + " keys, not " + KEYS);
        }
        // With the store and then without it, both after everything else ran once: a reading taken
        // before the writes counted the first run's class loading and caches (it came out negative).
        // Both after writeAndCompact returned, whose locals (the snapshot's bytes) would still count.
        long heapWith = heapAfterGc();
        store = null;
        long heapWithout = heapAfterGc();
        long heapBytes = heapWith - heapWithout;
        String s = String.format(
                "raft-core ConfigStore + FileStorage in one JVM: %,d puts of keys `config/key-NNNNN` (16 bytes) with %,d-byte"
                        + " values, one log entry each, batches of %d per fsync; heap = used after System.gc() with the"
                        + " store minus without it",
                KEYS, valueBytes, BATCH);
        String what = String.format("%,d keys of %,d-byte values: ", KEYS, valueBytes);
        run.add(Result.single(
                Footprint.SCENARIO, Result.OURS, what + "heap held by the store", mib(heapBytes), "MiB", s, ""));
        run.add(Result.single(
                Footprint.SCENARIO,
                Result.OURS,
                what + "log on disk (before compaction)",
                mib(disk.logBytes()),
                "MiB",
                s,
                ""));
        run.add(Result.single(
                Footprint.SCENARIO, Result.OURS, what + "snapshot", mib(disk.snapshotBytes()), "MiB", s, ""));
        run.add(Result.single(
                Footprint.SCENARIO,
                Result.OURS,
                what + "data directory after compaction",
                mib(disk.compactedBytes()),
                "MiB",
                s,
                ""));
        Run.log(
                "store footprint, %d-byte values: heap %.1f MiB, log %.1f MiB, snapshot %.1f MiB, compacted %.1f MiB",
                valueBytes,
                mib(heapBytes),
                mib(disk.logBytes()),
                mib(disk.snapshotBytes()),
                mib(disk.compactedBytes()));
    }

    private record Disk(long logBytes, long snapshotBytes, long compactedBytes) {}

    private static Disk writeAndCompact(Path dir, ConfigStore store, byte[] value) throws IOException {
        try (FileStorage storage = new FileStorage(dir)) {
            storage.load();
            List<LogEntry> batch = new ArrayList<>();
            for (int i = 1; i <= KEYS; i++) {
                byte[] command = store.encode(new ConfigCommand.Put(String.format("config/key-%05d", i), value));
                batch.add(new LogEntry(i, 1, EntryType.NORMAL, command));
                store.apply(i, command);
                if (batch.size() == BATCH || i == KEYS) {
                    storage.persist(null, batch, new HardState(1, "n1", i));
                    batch.clear();
                }
            }
            long logBytes = size(dir);
            byte[] snapshot = store.snapshot();
            storage.saveSnapshot(new Snapshot(KEYS, 1, new Membership(Set.of("n1"), Set.of()), snapshot));
            return new Disk(logBytes, snapshot.length, size(dir));
        }
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .sum();
        }
    }
}
