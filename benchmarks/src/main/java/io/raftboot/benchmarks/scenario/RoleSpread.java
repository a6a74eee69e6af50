package io.raftboot.benchmarks.scenario;

import io.raftboot.benchmarks.Result;
import io.raftboot.benchmarks.Run;
import io.raftboot.benchmarks.cluster.Cluster;
import io.raftboot.benchmarks.cluster.RolePoll;
import io.raftboot.benchmarks.cluster.RoleSnapshot;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Scenario 11's spread: starts a cluster whose nodes all offer the same roles at weight 1, times
 * from the first node's start until each role was read held (with a valid lease) on some node,
 * waits until the assignment is still, and reports how many roles each node holds then.
 */
final class RoleSpread {

    private static final Duration START_DEADLINE = Duration.ofSeconds(600);
    /** Longer than a few balance moves back to back (each leaves its role unheld ~300 ms). */
    private static final Duration QUIET = Duration.ofSeconds(2);

    private static final long PAUSE_MILLIS = 20;

    private final Run run;

    RoleSpread(Run run) {
        this.run = run;
    }

    /** Starts {@code cluster} (not started yet) and measures; the cluster is left running. */
    void measure(Cluster cluster, List<String> roles) {
        int size = cluster.ids().size();
        long started = System.nanoTime();
        cluster.startAll();
        Map<String, Long> firstHeld = new TreeMap<>();
        long end = started + START_DEADLINE.toNanos();
        while (firstHeld.size() < roles.size()) {
            if (System.nanoTime() - end > 0) {
                throw new IllegalStateException(
                        "roles not all held within " + START_DEADLINE + ": " + firstHeld + "\n" + cluster.logTails(30));
            }
            for (RolePoll p : RoleSnapshot.of(cluster, cluster.ids()).polls().values()) {
                p.held().stream().filter(roles::contains).forEach(role -> firstHeld.putIfAbsent(role, p.atNanos()));
            }
            Cluster.sleep(PAUSE_MILLIS);
        }
        double allHeld = (max(firstHeld.values()) - started) / 1e6;
        double firstRole = (min(firstHeld.values()) - started) / 1e6;
        RoleSnapshot settled = RoleSnapshot.awaitSettled(cluster, roles, QUIET, START_DEADLINE);
        double settledAt = (System.nanoTime() - started) / 1e6;
        Map<String, Integer> counts = settled.counts(roles);
        int min = counts.values().stream().mapToInt(Integer::intValue).min().orElse(0);
        int maxCount =
                counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        String at = size + " nodes";
        single(cluster, at + ": first node started -> first role held", firstRole, "ms");
        single(cluster, at + ": first node started -> all " + roles.size() + " roles held", allHeld, "ms");
        single(cluster, at + ": roles per node once still, min", min, "roles");
        single(cluster, at + ": roles per node once still, max", maxCount, "roles");
        run.note(
                NamedRoles.SCENARIO,
                String.format(
                        "%s: roles per node once still %s (still: unchanged for %d s, reached %.1f s after the first"
                                + " start; leader %s).",
                        at,
                        counts,
                        QUIET.toSeconds(),
                        settledAt / 1000,
                        settled.leader().orElse("?")));
        Run.log(
                "%s: all %d roles held %.0f ms after the first start (first %.0f ms); spread %s",
                at, roles.size(), allHeld, firstRole, counts);
    }

    private void single(Cluster cluster, String metric, double value, String unit) {
        run.add(Result.single(
                NamedRoles.SCENARIO,
                cluster.system(),
                metric,
                value,
                unit,
                cluster.settings() + "; " + NamedRoles.describe(),
                ""));
    }

    private static long max(Collection<Long> v) {
        return v.stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    private static long min(Collection<Long> v) {
        return v.stream().mapToLong(Long::longValue).min().orElseThrow();
    }
}
