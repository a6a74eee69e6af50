package io.raftboot.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.core.log.EntryType;
import io.raftboot.core.log.LogEntry;
import io.raftboot.testsupport.property.Gen;
import io.raftboot.testsupport.property.PropertyLoop;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link FileStorage}, reopened from disk, loads exactly what {@link MemoryStorage} holds after
 * the same random sequence of appends (with conflicts), hard states, snapshots and persists.
 */
class FileStorageModelTest {

    /** An operation described relative to the log it meets, so every generated call is valid. */
    sealed interface Op {}

    /** Append {@code count} entries starting at a point between a little below the log's first index and its end + 1. */
    record Append(double start, int count, int term, int salt) implements Op {}

    record SaveHardState(int term, String vote, int commit) implements Op {}

    /** Snapshot at a point between the current snapshot and the log's end + 2, with the log's term there or another. */
    record SaveSnapshot(double at, boolean sameTerm) implements Op {}

    record Persist(SaveSnapshot snapshot, Append append, SaveHardState hardState) implements Op {}

    record Reopen() implements Op {}

    private static Append append(SplittableRandom r) {
        return new Append(Gen.unit(r), Gen.intBetween(r, 1, 4), Gen.intBetween(r, 1, 6), Gen.intBetween(r, 0, 99));
    }

    private static SaveHardState hardState(SplittableRandom r) {
        return new SaveHardState(
                Gen.intBetween(r, 0, 6),
                Gen.orNull(r, 0.3, () -> Gen.oneOf(r, "n1", "n2", "n3")),
                Gen.intBetween(r, 0, 30));
    }

    private static SaveSnapshot snapshot(SplittableRandom r) {
        return new SaveSnapshot(Gen.unit(r), r.nextInt(3) != 0);
    }

    /** 0 to 25 operations, weighted 5 appends : 2 hard states : 2 snapshots : 3 persists : 2 reopens. */
    static List<Op> operations(SplittableRandom r) {
        int size = Gen.edge(r) ? (r.nextBoolean() ? 0 : 25) : r.nextInt(26);
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ops.add(
                    switch (Gen.weighted(r, 5, 2, 2, 3, 2)) {
                        case 0 -> append(r);
                        case 1 -> hardState(r);
                        case 2 -> snapshot(r);
                        case 3 ->
                            new Persist(
                                    Gen.orNull(r, 0.5, () -> snapshot(r)),
                                    Gen.orNull(r, 0.3, () -> append(r)),
                                    Gen.orNull(r, 0.3, () -> hardState(r)));
                        default -> new Reopen();
                    });
        }
        return ops;
    }

    @Test
    void fileStorageLoadsWhatMemoryStorageHolds() {
        PropertyLoop.forAll(60, r -> fileStorageLoadsWhatMemoryStorageHolds(operations(r)));
    }

    private static void fileStorageLoadsWhatMemoryStorageHolds(List<Op> ops) throws IOException {
        Path dir = Files.createTempDirectory("raft-storage-model");
        MemoryStorage model = new MemoryStorage();
        FileStorage file = new FileStorage(dir, "n1", "c1");
        try {
            file.load();
            for (Op op : ops) {
                if (op instanceof Reopen) {
                    file.close();
                    file = new FileStorage(dir, "n1", "c1");
                    assertThat(file.load()).as("after %s", ops).isEqualTo(model.current());
                    continue;
                }
                Call call = resolve(op, model);
                file.persist(call.snapshot(), call.entries(), call.hardState());
                model.persist(call.snapshot(), call.entries(), call.hardState());
            }
            file.close();
            file = new FileStorage(dir, "n1", "c1");
            assertThat(file.load()).isEqualTo(model.current());
        } finally {
            file.close();
            deleteRecursively(dir);
        }
    }

    /** A concrete {@code persist} call. */
    private record Call(Snapshot snapshot, List<LogEntry> entries, HardState hardState) {}

    private static Call resolve(Op op, MemoryStorage model) {
        if (op instanceof Append a) {
            return new Call(null, entriesFor(a, model), null);
        }
        if (op instanceof SaveHardState h) {
            return new Call(null, List.of(), hardStateOf(h));
        }
        if (op instanceof SaveSnapshot s) {
            return new Call(snapshotFor(s, model), List.of(), null);
        }
        Persist p = (Persist) op;
        Snapshot snapshot = p.snapshot() == null ? null : snapshotFor(p.snapshot(), model);
        MemoryStorage afterSnapshot = new MemoryStorage(model.current());
        if (snapshot != null) {
            afterSnapshot.saveSnapshot(snapshot);
        }
        List<LogEntry> entries = p.append() == null ? List.of() : entriesFor(p.append(), afterSnapshot);
        return new Call(snapshot, entries, p.hardState() == null ? null : hardStateOf(p.hardState()));
    }

    private static List<LogEntry> entriesFor(Append a, MemoryStorage model) {
        long low = Math.max(1, model.firstIndex() - 2);
        long high = model.lastIndex() + 1;
        long start = low + (long) Math.floor(a.start() * (high - low + 1));
        start = Math.min(start, high);
        List<LogEntry> entries = new ArrayList<>();
        for (long i = start; i < start + a.count(); i++) {
            byte[] data = (i + "@" + a.term() + "#" + a.salt()).getBytes(StandardCharsets.UTF_8);
            entries.add(new LogEntry(i, a.term(), a.salt() % 5 == 0 ? EntryType.NOOP : EntryType.NORMAL, data));
        }
        return entries;
    }

    private static Snapshot snapshotFor(SaveSnapshot s, MemoryStorage model) {
        long low = model.snapshot() == null ? 1 : model.snapshot().lastIndex();
        long high = model.lastIndex() + 2;
        long index = Math.min(high, low + (long) Math.floor(s.at() * (high - low + 1)));
        long termInLog = termAt(model, index);
        long term = s.sameTerm() && termInLog >= 0 ? termInLog : Math.max(termInLog, 0) + 7;
        return StorageContractTest.snapshot(index, term);
    }

    /** The term of entry {@code index} in the model (the snapshot's included), or -1. */
    private static long termAt(MemoryStorage model, long index) {
        Snapshot s = model.snapshot();
        if (s != null && index == s.lastIndex()) {
            return s.lastTerm();
        }
        List<LogEntry> entries = model.current().entries();
        long pos = index - model.firstIndex();
        return pos >= 0 && pos < entries.size() ? entries.get((int) pos).term() : -1;
    }

    private static HardState hardStateOf(SaveHardState h) {
        return new HardState(h.term(), h.vote(), h.commit());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
