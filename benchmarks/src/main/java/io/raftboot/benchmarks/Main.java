package io.raftboot.benchmarks;

import io.raftboot.benchmarks.cluster.Cluster;
import io.raftboot.benchmarks.cluster.OursCluster;
import io.raftboot.benchmarks.cluster.RatisCluster;
import io.raftboot.benchmarks.inproc.Propagation;
import io.raftboot.benchmarks.inproc.Scale;
import io.raftboot.benchmarks.inproc.StoreFootprint;
import io.raftboot.benchmarks.jmh.JmhRunner;
import io.raftboot.benchmarks.report.Report;
import io.raftboot.benchmarks.scenario.Failover;
import io.raftboot.benchmarks.scenario.Footprint;
import io.raftboot.benchmarks.scenario.NamedRoles;
import io.raftboot.benchmarks.scenario.SlowNetwork;
import io.raftboot.benchmarks.scenario.Stability;
import io.raftboot.benchmarks.scenario.Startup;
import io.raftboot.benchmarks.scenario.Throughput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs every scenario and writes {@code benchmarks/results/<date>[-quick].csv} and
 * {@code docs/benchmarks.md} with its plots. Started by {@code benchmarks/run.sh}:
 * <pre>java -cp target/classes:$(cat target/classpath.txt) io.raftboot.benchmarks.Main --root .. [--quick] [--only 2,3]</pre>
 * {@code --only} runs some scenarios (1-8, 9 = JMH, 10 = slow network, 11 = named roles), {@code --startup-only} the start-up part of
 * scenario 6 (10 starts of each variant); both write the page under target/ instead.
 */
public final class Main {

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        boolean quick = Arrays.asList(args).contains("--quick");
        // --startup-only: scenario 6's start-up part alone (no clusters, no footprints), 10 starts each.
        boolean startupOnly = Arrays.asList(args).contains("--startup-only");
        Path root = Path.of(value(args, "--root", "..")).toAbsolutePath().normalize();
        String only = value(args, "--only", "");
        Set<Integer> scenarios = new TreeSet<>();
        if (startupOnly) {
            scenarios.add(6);
        } else if (only.isEmpty()) {
            for (int i = 1; i <= 11; i++) {
                scenarios.add(i);
            }
        } else {
            Arrays.stream(only.split(","))
                    .map(String::trim)
                    .map(Integer::parseInt)
                    .forEach(scenarios::add);
        }
        Path work = root.resolve("benchmarks/target/bench-work/"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(work);
        String java = ProcessHandle.current().info().command().orElse("java");
        String jcmd = Path.of(java).resolveSibling("jcmd").toString();
        Path jar = root.resolve("samples/leader-scheduler/target/leader-scheduler.jar");
        Run run = new Run(quick, work, java, System.getProperty("java.class.path"), jar);
        long started = System.nanoTime();
        Run.log("benchmarks (%s) in %s, scenarios %s", quick ? "quick" : "full", work, scenarios);

        // Issue #14 asks for at least 50 iterations of each failover scenario on our side, so that a
        // p99 is more than the maximum. Restarting a killed or stopped sample node and waiting for it
        // to rejoin makes an iteration take 7-12 s on this machine: the 150 take ~20 minutes, and the
        // full run of 2026-12-04 took 44.9, above its 30-minute budget (docs/benchmarks.md, "Goals
        // not met").
        // Ratis keeps fewer: it is the comparison, not the goal.
        int handoffs = quick ? 1 : 50;
        int crashes = quick ? 2 : 50;
        int ratisCrashes = quick ? 2 : 20;
        int freezes = quick ? 1 : 50;
        int ratisFreezes = quick ? 1 : 30;
        Duration warmup = Duration.ofSeconds(quick ? 1 : 3);
        Duration window = Duration.ofSeconds(quick ? 2 : 10);
        int[] writers = {1, 8, 64};

        if (!startupOnly && scenarios.stream().anyMatch(s -> s <= 6 || s == 8)) {
            try (Cluster ours =
                    new OursCluster(3, work.resolve("ours"), java, jar, root.resolve("benchmarks/target/bench-cds"))) {
                ours.startAll();
                ours.awaitAgreedLeader(ours.ids(), Duration.ofSeconds(600));
                Failover f = new Failover(run, ours);
                if (scenarios.contains(1)) {
                    f.handoff(handoffs);
                }
                if (scenarios.contains(2)) {
                    f.crash(crashes);
                }
                if (scenarios.contains(3)) {
                    f.freeze(freezes);
                }
                if (scenarios.contains(5)) {
                    new Throughput(run, ours).measure(writers, warmup, window);
                }
                if (scenarios.contains(6)) {
                    new Footprint(run, ours, jcmd)
                            .measure(
                                    Duration.ofSeconds(quick ? 5 : 60),
                                    quick ? 100 : 300,
                                    Duration.ofSeconds(quick ? 5 : 10));
                }
                if (scenarios.contains(8)) {
                    new Stability(run, ours).measure(Duration.ofSeconds(quick ? 10 : 600));
                }
            }
            if (!startupOnly && scenarios.stream().anyMatch(s -> s == 2 || s == 3 || s == 5 || s == 6)) {
                try (Cluster ratis = new RatisCluster(3, work.resolve("ratis"), java, run.classpath)) {
                    ratis.startAll();
                    ratis.awaitAgreedLeader(ratis.ids(), Duration.ofSeconds(600));
                    Failover f = new Failover(run, ratis);
                    if (scenarios.contains(2)) {
                        f.crash(ratisCrashes);
                    }
                    if (scenarios.contains(3)) {
                        f.freeze(ratisFreezes);
                    }
                    if (scenarios.contains(5)) {
                        new Throughput(run, ratis).measure(writers, warmup, window);
                    }
                    if (scenarios.contains(6)) {
                        new Footprint(run, ratis, jcmd)
                                .measure(
                                        Duration.ofSeconds(quick ? 5 : 60),
                                        quick ? 100 : 300,
                                        Duration.ofSeconds(quick ? 5 : 10));
                    }
                }
            }
            if (scenarios.contains(6)) {
                new Startup(run).measure(quick ? 1 : 10);
                new StoreFootprint(run, work.resolve("store-footprint")).measure();
            }
        }
        if (startupOnly) {
            new Startup(run).measure(quick ? 1 : 10);
        }
        if (scenarios.contains(4)) {
            new Propagation(run, work.resolve("propagation")).measure(quick ? 60 : 500);
        }
        if (scenarios.contains(7)) {
            new Scale(run).measure(quick);
        }
        if (scenarios.contains(9)) {
            new JmhRunner(run).measure(quick);
        }
        if (scenarios.contains(10)) {
            int[] delays = {50, 100, 150};
            Duration slowWindow = Duration.ofSeconds(10);
            SlowNetwork slow = new SlowNetwork(run);
            slow.measure(
                    n -> new OursCluster(
                            n, work.resolve("slow-ours"), java, jar, root.resolve("benchmarks/target/bench-cds")),
                    delays,
                    slowWindow);
            slow.measure(n -> new RatisCluster(n, work.resolve("slow-ratis"), java, run.classpath), delays, slowWindow);
        }
        if (scenarios.contains(11)) {
            // Each kill or stop restarts a JVM (10-15 s here) and waits for the roles to settle:
            // 5 + 5 + 3 took 4.2 and 6.2 minutes at a load of 5-13 (less on an idle machine, not measured).
            // The full run makes 10 of each (30 restarts, ~7 minutes): 30 of each took ~20 minutes, and
            // the failover goals of issue #14 are scenarios 1-3's, not this one's.
            new NamedRoles(run)
                    .measure(
                            n -> new OursCluster(
                                    n,
                                    work.resolve("roles-" + n),
                                    java,
                                    jar,
                                    root.resolve("benchmarks/target/bench-cds"),
                                    NamedRoles.arguments()),
                            quick ? 5 : 10,
                            quick ? 3 : 10);
        }

        double minutes = (System.nanoTime() - started) / 60e9;
        String date = LocalDate.now().toString();
        boolean partial = !only.isEmpty() || startupOnly;
        Path results = partial ? work : root.resolve("benchmarks/results");
        Path docs = partial ? work.resolve("docs") : root.resolve("docs");
        String name = date + (quick ? "-quick" : "");
        new Report(run, root, docs, results, name, minutes).write();
        Run.log("done in %.1f min: %s, %s", minutes, results.resolve(name + ".csv"), docs.resolve("benchmarks.md"));
        System.exit(0);
    }

    private static String value(String[] args, String name, String otherwise) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return otherwise;
    }
}
