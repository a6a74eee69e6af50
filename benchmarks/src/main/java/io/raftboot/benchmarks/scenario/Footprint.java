package io.raftboot.benchmarks.scenario;

import io.raftboot.benchmarks.Result;
import io.raftboot.benchmarks.Run;
import io.raftboot.benchmarks.cluster.Cluster;
import io.raftboot.benchmarks.cluster.Status;
import io.raftboot.testsupport.process.NodeProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scenario 6 on a running, idle 3-node cluster (no poller, no client): CPU per node over a window
 * from /proc/<pid>/stat (utime + stime), then RSS (VmRSS), heap used after a full GC
 * ({@code jcmd GC.run}, {@code GC.heap_info}) and the threads by name ({@code jcmd Thread.print}).
 */
public final class Footprint {

    public static final String SCENARIO = "6-footprint";

    private final Run run;
    private final Cluster cluster;
    private final String jcmd;

    public Footprint(Run run, Cluster cluster, String jcmd) {
        this.run = run;
        this.cluster = cluster;
        this.jcmd = jcmd;
    }

    /**
     * @param warmupWrites written first, so that the measured code is compiled
     * @param settle after the warm-up writes, so that the JIT compiler can finish with their code
     */
    public void measure(Duration idle, int warmupWrites, Duration settle) {
        Status leader = cluster.awaitAgreedLeader(cluster.ids(), Duration.ofSeconds(60));
        // warm-up: a few hundred writes, then let it settle
        for (int i = 0; i < warmupWrites; i++) {
            try {
                cluster.put(leader.nodeId(), "warm-" + (i % 50), "v" + i, Duration.ofSeconds(5));
            } catch (Exception e) {
                // counted nowhere: warm-up only
            }
        }
        Cluster.sleep(settle.toMillis());
        leader = cluster.awaitAgreedLeader(cluster.ids(), Duration.ofSeconds(60));
        Cluster.sleep(1000);
        Map<String, Long> cpu0 = new TreeMap<>();
        Map<String, Map<String, Long>> threads0 = new TreeMap<>();
        long t0 = System.nanoTime();
        for (NodeProcess n : cluster.nodes()) {
            cpu0.put(n.id(), ProcStats.cpuNanos(n.pid()));
            threads0.put(n.id(), ProcStats.threadCpuNanos(n.pid()));
        }
        Cluster.sleep(idle.toMillis());
        long wall = System.nanoTime() - t0;
        Map<String, Map<String, Long>> threads1 = new TreeMap<>();
        for (NodeProcess n : cluster.nodes()) {
            threads1.put(n.id(), ProcStats.threadCpuNanos(n.pid()));
        }
        topThreads(threads0.get(leader.nodeId()), threads1.get(leader.nodeId()), wall);
        String settings = cluster.settings() + "; idle for " + idle.toSeconds() + " s, from " + (settle.toSeconds() + 1)
                + " s after " + warmupWrites + " warm-up writes, no client";
        List<Double> followerCpu = new ArrayList<>();
        List<Double> allCpu = new ArrayList<>();
        for (NodeProcess n : cluster.nodes()) {
            double pct = 100.0 * (ProcStats.cpuNanos(n.pid()) - cpu0.get(n.id())) / wall;
            allCpu.add(pct);
            if (n.id().equals(leader.nodeId())) {
                run.add(Result.single(
                        SCENARIO,
                        cluster.system(),
                        "idle CPU, leader process",
                        pct,
                        "% of one core",
                        settings,
                        "<= 0.5 % of one core"));
            } else {
                followerCpu.add(pct);
            }
        }
        run.add(Result.of(
                SCENARIO,
                cluster.system(),
                "idle CPU, follower processes",
                followerCpu,
                "% of one core",
                settings,
                "<= 0.5 % of one core"));
        Run.log("%s idle CPU per node: %s", cluster.system(), allCpu);
        // The JIT compiler is still busy with the code of the scenarios before (writes, HTTP):
        // the same figure without its threads is the steady idle cost (compiler threads are
        // fixed with -XX:-UseDynamicNumberOfCompilerThreads, so none came and went unseen).
        List<Double> withoutJit = new ArrayList<>();
        for (NodeProcess n : cluster.nodes()) {
            double jit = 0;
            for (Map.Entry<String, Long> t : threads1.get(n.id()).entrySet()) {
                if (t.getKey().contains("CompilerThre")) {
                    jit += 100.0 * (t.getValue() - threads0.get(n.id()).getOrDefault(t.getKey(), 0L)) / wall;
                }
            }
            withoutJit.add(allCpu.get(withoutJit.size()) - jit);
        }
        run.add(Result.of(
                SCENARIO,
                cluster.system(),
                "idle CPU per process without the JIT compiler threads",
                withoutJit,
                "% of one core",
                settings,
                "<= 0.5 % of one core"));

        List<Double> rss = new ArrayList<>();
        List<Double> heap = new ArrayList<>();
        List<Double> threads = new ArrayList<>();
        List<Double> raftThreads = new ArrayList<>();
        List<Double> grpcThreads = new ArrayList<>();
        for (NodeProcess n : cluster.nodes()) {
            rss.add(ProcStats.rssMiB(n.pid()));
            List<String> names = ProcStats.threadNames(jcmd, n.pid());
            threads.add((double) names.size());
            raftThreads.add(
                    (double) names.stream().filter(s -> s.startsWith("raft-")).count());
            grpcThreads.add((double)
                    names.stream().filter(s -> s.toLowerCase().contains("grpc")).count());
            if (n.id().equals(leader.nodeId())) {
                run.note(SCENARIO, cluster.system() + " leader's threads: " + summarize(names));
            }
            heap.add(ProcStats.heapUsedAfterGcMiB(jcmd, n.pid()));
        }
        String s2 = cluster.settings() + "; after warm-up, per node";
        run.add(Result.of(SCENARIO, cluster.system(), "RSS", rss, "MiB", s2, ""));
        run.add(Result.of(SCENARIO, cluster.system(), "heap used after full GC", heap, "MiB", s2, ""));
        run.add(Result.of(SCENARIO, cluster.system(), "threads, all (JVM + app)", threads, "threads", s2, ""));
        if (cluster.system().equals(Result.OURS)) {
            run.add(Result.of(SCENARIO, cluster.system(), "threads named raft-*", raftThreads, "threads", s2, ""));
        }
        run.add(Result.of(SCENARIO, cluster.system(), "threads named *grpc*", grpcThreads, "threads", s2, ""));
    }

    /** Which threads of the leader's JVM used the idle CPU, by name (digits collapsed), as a note. */
    private void topThreads(Map<String, Long> before, Map<String, Long> after, long wallNanos) {
        Map<String, Double> byName = new TreeMap<>();
        after.forEach((k, v) -> {
            double pct = 100.0 * (v - before.getOrDefault(k, 0L)) / wallNanos;
            byName.merge(k.substring(k.indexOf(' ') + 1).replaceAll("\\d+", "#"), pct, Double::sum);
        });
        StringBuilder b = new StringBuilder();
        byName.entrySet().stream()
                .sorted((x, y) -> Double.compare(y.getValue(), x.getValue()))
                .limit(8)
                .forEach(e -> b.append(b.length() == 0 ? "" : ", ")
                        .append(e.getKey())
                        .append(String.format(java.util.Locale.ROOT, " %.2f%%", e.getValue())));
        run.note(SCENARIO, cluster.system() + ": the leader's idle CPU by thread (kernel names, % of one core): " + b);
    }

    /** Thread names with digits collapsed, counted: "raft-loop-n1 x1, grpc-default-executor-# x3, ...". */
    static String summarize(List<String> names) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String n : names) {
            counts.merge(n.replaceAll("\\d+", "#"), 1, Integer::sum);
        }
        StringBuilder b = new StringBuilder();
        counts.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(v > 1 ? " x" + v : ""));
        return b.toString();
    }
}
