package io.raftboot.benchmarks.scenario;

import io.raftboot.benchmarks.Result;
import io.raftboot.benchmarks.Run;
import io.raftboot.benchmarks.cluster.Cluster;
import io.raftboot.benchmarks.cluster.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Scenario 8: an idle 3-node cluster while two {@code yes > /dev/null} processes load both cores.
 * Every 200 ms the nodes' status is read; an election shows as a term increase, a leader change
 * as a new (leader, term) pair. The count of term increases is the number of spurious elections.
 */
public final class Stability {

    public static final String SCENARIO = "8-stability-under-cpu-hog";

    private final Run run;
    private final Cluster cluster;

    public Stability(Run run, Cluster cluster) {
        this.run = run;
        this.cluster = cluster;
    }

    public void measure(Duration duration) {
        Status start = cluster.awaitAgreedLeader(cluster.ids(), Duration.ofSeconds(60));
        List<Process> hogs = new CopyOnWriteArrayList<>();
        long maxTerm = start.term();
        Set<String> leaders = new HashSet<>();
        leaders.add(start.nodeId() + "@" + start.term());
        int polls = 0;
        int unanswered = 0;
        // A run stopped meanwhile (SIGTERM, Ctrl-C) must not leave the hogs behind: they outlived
        // one and spoiled the next run's figures.
        Thread stopHogs = new Thread(() -> hogs.forEach(Process::destroyForcibly), "stop-cpu-hogs");
        Runtime.getRuntime().addShutdownHook(stopHogs);
        try {
            for (int i = 0; i < 2; i++) {
                hogs.add(new ProcessBuilder("yes")
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start());
            }
            long end = System.nanoTime() + duration.toNanos();
            while (System.nanoTime() - end < 0) {
                for (String id : cluster.ids()) {
                    Status s = cluster.status(id, Duration.ofSeconds(2));
                    polls++;
                    if (!s.ok()) {
                        unanswered++;
                        continue;
                    }
                    maxTerm = Math.max(maxTerm, s.term());
                    if (s.isLeader()) {
                        leaders.add(s.nodeId() + "@" + s.term());
                    }
                }
                Cluster.sleep(200);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the CPU hog `yes`", e);
        } finally {
            hogs.forEach(Process::destroyForcibly);
            Runtime.getRuntime().removeShutdownHook(stopHogs);
        }
        long elections = maxTerm - start.term();
        String settings = cluster.settings() + "; idle cluster, 2 x `yes > /dev/null` on 2 cores, "
                + duration.toSeconds() + " s, status read every 200 ms";
        run.add(Result.single(
                SCENARIO,
                cluster.system(),
                "elections (term increases)",
                elections,
                "elections",
                settings,
                "0 with defaults"));
        run.add(Result.single(
                SCENARIO, cluster.system(), "leader changes", leaders.size() - 1, "changes", settings, ""));
        run.note(
                SCENARIO,
                cluster.system() + ": " + polls + " status reads, " + unanswered + " unanswered within 2 s; terms "
                        + start.term() + " -> " + maxTerm + "; leaders seen " + leaders);
        Run.log("%s stability: %d elections in %d s", cluster.system(), elections, duration.toSeconds());
    }
}
