package io.raftboot.benchmarks.inproc;

import io.raftboot.benchmarks.Result;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What made a series' tail, for a scenario that runs in this JVM: each sample keeps its position
 * in the run and whether a garbage collection of this JVM (which stops every node in it) ran
 * while it was taken. The page's percentiles sort the samples, which loses both.
 */
final class Tail {

    /** {@code waitMs}: this JVM's threads' total wait for a CPU during the sample, -1 if unknown. */
    private record Sample(int index, double ms, boolean gc, double waitMs) {}

    private final List<Sample> samples = new ArrayList<>();

    /** Collections of this JVM so far, all collectors; compare two readings around a sample. */
    static long collections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    void add(int index, double ms, boolean gcDuring, double cpuWaitMs) {
        samples.add(new Sample(index, ms, gcDuring, cpuWaitMs));
    }

    /**
     * The slowest 1% (at least one): position, time and whether a collection overlapped it, and
     * how many of all the samples a collection overlapped.
     */
    String describe(String series, int writes) {
        int k = Math.max(1, samples.size() / 100);
        List<Sample> slowest = samples.stream()
                .sorted(Comparator.comparingDouble(Sample::ms).reversed())
                .limit(k)
                .toList();
        long withGc = samples.stream().filter(Sample::gc).count();
        long slowWithGc = slowest.stream().filter(Sample::gc).count();
        double[] waits = samples.stream()
                .mapToDouble(Sample::waitMs)
                .filter(w -> w >= 0)
                .sorted()
                .toArray();
        String cpuWait = waits.length == 0
                ? ""
                : String.format(
                        Locale.ROOT,
                        "; the JVM's threads waited for a CPU %.1f ms in total per sample at the median, %.1f ms"
                                + " at the 90th percentile",
                        Result.pct(waits, 50),
                        Result.pct(waits, 90));
        return String.format(
                Locale.ROOT,
                "%s: the slowest %d of %d samples were writes %s of %d (%d of them with a GC of the JVM"
                        + " running meanwhile); a GC ran during %d of the %d samples%s",
                series,
                k,
                samples.size(),
                slowest.stream()
                        .map(s -> String.format(
                                Locale.ROOT,
                                "#%d (%.1f ms%s%s)",
                                s.index + 1,
                                s.ms,
                                s.gc ? ", GC" : "",
                                s.waitMs >= 0
                                        ? String.format(Locale.ROOT, ", threads waited %.1f ms for a CPU", s.waitMs)
                                        : ""))
                        .collect(Collectors.joining(", ")),
                writes,
                slowWithGc,
                withGc,
                samples.size(),
                cpuWait);
    }
}
