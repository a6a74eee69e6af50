package io.raftboot.benchmarks.scenario;

import io.raftboot.benchmarks.Result;
import io.raftboot.benchmarks.Run;
import io.raftboot.benchmarks.cluster.Cluster;
import io.raftboot.benchmarks.cluster.LeaderEvents;
import io.raftboot.benchmarks.cluster.RoleSnapshot;
import io.raftboot.testsupport.process.NodeProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Scenario 11's failovers of named roles on real processes: {@code kill -9} of a role holder that
 * is not the Raft leader, {@code kill -9} of the Raft leader while it holds roles, and SIGTERM of a
 * role holder (graceful stop: it withdraws its roles before anything else stops). Each iteration
 * waits until every role is held by one node and the assignment is still, hurts the victim, reads
 * the others' {@code /actuator/raft} until each of the victim's roles is held elsewhere
 * ({@link RoleWatch}), and splits the time with the leader's logged decisions
 * ({@link RoleDecisions}). The victim is restarted from its data directory and gets its share of
 * roles back (balance) before the next iteration.
 */
final class RoleFailover {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration START_DEADLINE = Duration.ofSeconds(600);
    private static final Duration QUIET = Duration.ofSeconds(1);

    private final Run run;
    private final Cluster cluster;
    private final List<String> roles;
    /** metric -> samples, in the order first added. */
    private final Map<String, List<Double>> samples = new LinkedHashMap<>();

    private final List<Double> resolutions = new ArrayList<>();

    RoleFailover(Run run, Cluster cluster, List<String> roles) {
        this.run = run;
        this.cluster = cluster;
        this.roles = List.copyOf(roles);
    }

    enum Fault {
        /** kill -9 of a holder that is not the Raft leader. */
        KILL_HOLDER("kill -9 of a role holder (not the Raft leader)"),
        /** kill -9 of the Raft leader, which holds roles too. */
        KILL_LEADER("kill -9 of the Raft leader holding roles"),
        /** SIGTERM of a holder that is not the Raft leader. */
        STOP_HOLDER("SIGTERM of a role holder (not the Raft leader)");

        final String what;

        Fault(String what) {
            this.what = what;
        }
    }

    void measure(Fault fault, int iterations) {
        int done = 0;
        for (int i = 0; i < iterations; i++) {
            done += once(fault, i, iterations) ? 1 : 0;
        }
        String settings = cluster.settings() + "; " + NamedRoles.describe();
        samples.forEach((metric, values) ->
                run.add(Result.of(NamedRoles.SCENARIO, cluster.system(), metric, values, "ms", settings, "")));
        samples.clear();
        run.note(
                NamedRoles.SCENARIO,
                String.format(
                        "%s: %d of %d iterations had a victim; reads of /actuator/raft every %.0f ms on average"
                                + " (the resolution of these figures).",
                        fault.what,
                        done,
                        iterations,
                        resolutions.stream()
                                .mapToDouble(Double::doubleValue)
                                .average()
                                .orElse(Double.NaN)));
        resolutions.clear();
    }

    private void add(Fault fault, String metric, double value) {
        samples.computeIfAbsent(fault.what + ": " + metric, k -> new ArrayList<>())
                .add(value);
    }

    /** One iteration; false when no node fit as the victim (e.g. the leader held no role). */
    private boolean once(Fault fault, int i, int iterations) {
        cluster.awaitAgreedLeader(cluster.ids(), START_DEADLINE);
        RoleSnapshot before = RoleSnapshot.awaitSettled(cluster, roles, QUIET, DEADLINE);
        String leader = before.leader().orElseThrow(() -> new IllegalStateException("no leader in " + before));
        String victim = fault == Fault.KILL_LEADER ? leader : mostLoadedFollower(before.counts(roles), leader);
        // Only the scenario's roles: the sample may hold roles of its own that it names in annotations.
        Set<String> held = victim == null
                ? Set.of()
                : new TreeSet<>(before.polls().get(victim).held().stream()
                        .filter(roles::contains)
                        .toList());
        if (held.isEmpty()) {
            Run.log(
                    "%s %d/%d: no fitting victim (leader %s, roles %s); skipped",
                    fault, i + 1, iterations, leader, before.counts(roles));
            return false;
        }
        List<String> survivors =
                cluster.ids().stream().filter(id -> !id.equals(victim)).toList();
        NodeProcess node = cluster.node(victim);
        Map<String, Long> marks = LeaderEvents.marks(cluster.nodes());
        boolean graceful = fault == Fault.STOP_HOLDER;
        RoleWatch watch = new RoleWatch(cluster, graceful ? cluster.ids() : survivors, victim, held);
        if (graceful) {
            watch.round(); // the victim holding its roles right before the signal
        }
        long eventMillis = System.currentTimeMillis();
        long event = System.nanoTime();
        if (graceful) {
            node.terminateNoWait();
        } else {
            node.killNoWait();
        }
        watch.untilAllMoved(DEADLINE);
        resolutions.add(watch.resolutionMillis());
        Cluster.sleep(200); // the leader's last lines reach its log file
        RoleDecisions decisions = RoleDecisions.read(cluster.nodes(), marks, eventMillis);

        double all = 0;
        StringBuilder parts = new StringBuilder();
        for (String role : held) {
            double millis = (watch.firstElsewhere().get(role) - event) / 1e6;
            all = Math.max(all, millis);
            add(fault, "signal -> each of its roles held elsewhere", millis);
            if (graceful) {
                Long last = watch.lastOnVictim().get(role);
                // Reads of different nodes in one round are a few ms apart: a negative gap is
                // within that error, not an overlap (the multi-process lease probe checks that).
                double unheld = last == null
                        ? millis
                        : Math.max(0, (watch.firstElsewhere().get(role) - last) / 1e6);
                add(fault, "each role held by nobody (last read held there -> first read held elsewhere)", unheld);
            }
            RoleDecisions.Decision d = decisions.of(role, victim);
            if (d.revokedMillis() >= 0 && d.grantedMillis() >= 0) {
                long heldAt = eventMillis + Math.round(millis);
                add(
                        fault,
                        "signal -> leader logs the revocation (" + d.reason() + ")",
                        d.revokedMillis() - eventMillis);
                add(fault, "revocation -> grant logged", d.grantedMillis() - d.revokedMillis());
                add(fault, "grant logged -> held by the new holder (read)", heldAt - d.grantedMillis());
            }
            parts.append(String.format(
                    " %s->%s %.0f ms (revoked +%d, granted +%d);",
                    role,
                    watch.newHolder().get(role),
                    millis,
                    d.revokedMillis() < 0 ? -1 : d.revokedMillis() - eventMillis,
                    d.grantedMillis() < 0 ? -1 : d.grantedMillis() - eventMillis));
        }
        add(fault, "signal -> all its roles held elsewhere", all);
        if (fault == Fault.KILL_LEADER) {
            long elected = firstNewLeaderMillis(marks, eventMillis);
            if (elected >= 0) {
                add(fault, "signal -> a new Raft leader (its log)", elected - eventMillis);
            }
        }
        Run.log(
                "%s %d/%d: %s held %s; all held elsewhere after %.0f ms:%s",
                fault, i + 1, iterations, victim, held, all, parts);

        if (graceful && !node.awaitExit(60)) {
            node.kill();
        }
        node.awaitExit(30);
        cluster.start(victim);
        return true;
    }

    /** The follower holding the most roles (the lowest id on a tie); null if none holds any. */
    private static String mostLoadedFollower(Map<String, Integer> counts, String leader) {
        return counts.entrySet().stream()
                .filter(e -> !e.getKey().equals(leader) && e.getValue() > 0)
                .max(Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue)
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .map(Map.Entry::getKey)
                .orElse(null);
    }

    /** When the first node logged that it became the Raft leader at or after {@code fromMillis}; -1 if none did. */
    private long firstNewLeaderMillis(Map<String, Long> marks, long fromMillis) {
        return cluster.nodes().stream()
                .flatMap(n -> LeaderEvents.read(n.logFile(), n.id(), marks.get(n.id())).stream())
                .filter(e -> e.kind() == LeaderEvents.Kind.KNOWS
                        && e.node().equals(e.leader())
                        && e.epochMillis() >= fromMillis)
                .mapToLong(LeaderEvents.Event::epochMillis)
                .min()
                .orElse(-1);
    }
}
