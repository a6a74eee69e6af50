package io.raftboot.benchmarks.scenario;

import io.raftboot.benchmarks.Result;
import io.raftboot.benchmarks.Run;
import io.raftboot.benchmarks.cluster.Cluster;
import io.raftboot.benchmarks.cluster.RawHttp;
import io.raftboot.benchmarks.cluster.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Scenario 5: W writer threads (1, 8, 64), each sending {@code PUT /config/<key>} with a 16-byte
 * value to the leader's HTTP port and waiting for the 200 (committed and applied, fsync on),
 * on a kept-alive connection with TCP_NODELAY ({@link RawHttp}). A warm-up, then a timed window: committed writes per second and
 * the latency of each write in the window. One writer is measured three times in a row and the
 * median run reported.
 */
public final class Throughput {

    public static final String SCENARIO = "5-write-throughput";

    private final Run run;
    private final Cluster cluster;

    public Throughput(Run run, Cluster cluster) {
        this.run = run;
        this.cluster = cluster;
    }

    public void measure(int[] writers, Duration warmup, Duration window) {
        Status leader = cluster.awaitAgreedLeader(cluster.ids(), Duration.ofSeconds(60));
        for (int w : writers) {
            // One writer's rate swings from run to run (issue #14: "median of 3 runs"): it is measured
            // three times, one after the other, and the run with the median rate is the one reported.
            int repeats = w == 1 ? 3 : 1;
            List<Load> loads = new ArrayList<>();
            for (int r = 0; r < repeats; r++) {
                loads.add(load(leader.nodeId(), w, warmup, window));
            }
            List<Load> byRate = new ArrayList<>(loads);
            byRate.sort(Comparator.comparingDouble(Load::perSecond));
            Load l = byRate.get(byRate.size() / 2);
            String s = cluster.settings() + "; " + w
                    + " writers, PUT to the leader over HTTP/1.1 (kept-alive connection per writer, TCP_NODELAY), 16-byte values, warm-up "
                    + warmup.toSeconds() + "s, window " + window.toSeconds() + "s"
                    + (repeats > 1 ? "; median of " + repeats + " runs in a row: " + rates(loads) + " writes/s" : "");
            run.add(Result.single(
                    SCENARIO,
                    cluster.system(),
                    "committed writes/s, " + w + " writers",
                    l.perSecond,
                    "writes/s",
                    s,
                    // Issue #14: at least Ratis with one writer, at least twice Ratis with 8 and 64.
                    w == 1 ? "at least Ratis' figure" : "at least 2x Ratis' figure"));
            run.add(Result.of(
                    SCENARIO, cluster.system(), "write latency, " + w + " writers", l.latencies, "ms", s, ""));
            if (l.errors > 0) {
                run.note(SCENARIO, cluster.system() + ": " + l.errors + " failed writes with " + w + " writers");
            }
            Run.log("%s: %d writers: %.0f writes/s, %d errors", cluster.system(), w, l.perSecond, l.errors);
        }
    }

    private record Load(double perSecond, List<Double> latencies, long errors) {}

    private static String rates(List<Load> loads) {
        return loads.stream()
                .map(l -> String.format(Locale.ROOT, "%.1f", l.perSecond))
                .collect(Collectors.joining(", "));
    }

    private Load load(String leader, int writers, Duration warmup, Duration window) {
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + window.toNanos();
        ConcurrentLinkedQueue<Double> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < writers; t++) {
            int writer = t;
            Thread th = new Thread(
                    () -> {
                        long i = 0;
                        RawHttp client =
                                new RawHttp("127.0.0.1", cluster.node(leader).httpPort(), 10_000);
                        while (true) {
                            long before = System.nanoTime();
                            if (before - end >= 0) {
                                client.close();
                                return;
                            }
                            // At most 64 x 100 keys over all writer counts: the store holds 10,000 by
                            // default (raft.max-config-keys) and refuses new keys beyond that.
                            String key = "tp-" + writer + "-" + (i++ % 100);
                            try {
                                int code = client.put("/config/" + key, "value-0123456789");
                                long after = System.nanoTime();
                                if (before - measureFrom >= 0 && after - end <= 0) {
                                    if (code == 200) {
                                        ok.incrementAndGet();
                                        latencies.add((after - before) / 1e6);
                                    } else {
                                        errors.incrementAndGet();
                                    }
                                }
                            } catch (Exception e) {
                                errors.incrementAndGet();
                            }
                        }
                    },
                    "writer-" + t);
            th.setDaemon(true);
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new Load(ok.get() / (window.toNanos() / 1e9), new ArrayList<>(latencies), errors.get());
    }
}
