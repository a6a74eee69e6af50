package io.raftboot.benchmarks.scenario;

import io.raftboot.benchmarks.Result;
import io.raftboot.benchmarks.Run;
import io.raftboot.benchmarks.cluster.Cluster;
import io.raftboot.benchmarks.cluster.LeaderEvents;
import io.raftboot.benchmarks.cluster.Status;
import io.raftboot.testsupport.process.NodeProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scenarios 1-3 on real processes: graceful handoff (SIGTERM of the leader), crash failover
 * (SIGKILL of the leader), frozen leader (SIGSTOP, then SIGCONT). Each iteration waits for all
 * three nodes to agree on a leader, lets the cluster settle, hurts the leader and takes the first
 * instant at which the survivors' logs show them agreeing on a leader of a newer term
 * ({@link LeaderEvents}: the nodes' own millisecond timestamps; nothing polls the nodes meanwhile).
 * The killed or stopped node is restarted from its data directory (or resumed) and must rejoin
 * before the next iteration.
 */
public final class Failover {

    public static final String HANDOFF = "1-graceful-handoff";
    public static final String CRASH = "2-crash-failover";
    public static final String FREEZE = "3-frozen-leader";

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration START_DEADLINE = Duration.ofSeconds(600);
    /**
     * Between the agreement on a leader (after the previous iteration's restart) and the fault:
     * 700 ms, or {@code BENCH_SETTLE_MS} for an experiment. A restarted JVM still compiles for
     * ~30 s after it reports started (docs/benchmarks.md, 1).
     */
    private static final Duration SETTLE =
            Duration.ofMillis(Long.parseLong(System.getenv().getOrDefault("BENCH_SETTLE_MS", "700")));

    private final Run run;
    private final Cluster cluster;

    public Failover(Run run, Cluster cluster) {
        this.run = run;
        this.cluster = cluster;
    }

    private enum Fault {
        TERM,
        KILL,
        STOP
    }

    public void handoff(int iterations) {
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < iterations; i++) {
            outcomes.add(once(Fault.TERM, i, iterations));
        }
        String s = cluster.settings() + "; SIGTERM of the leader, Spring graceful shutdown"
                + (cluster.handsOverOnShutdown()
                        ? " (raft.shutdown.handoff-timeout 3s: TimeoutNow to the most up-to-date voter)"
                        : "");
        run.add(Result.of(
                HANDOFF,
                cluster.system(),
                "leaderless time (old leader gives up its lease -> survivors agree)",
                outcomes.stream().map(Outcome::leaderlessMillis).toList(),
                "ms",
                s,
                "p99 <= 50 ms"));
        run.add(Result.of(
                HANDOFF,
                cluster.system(),
                "SIGTERM -> survivors agree on a new leader",
                outcomes.stream().map(Outcome::millis).toList(),
                "ms",
                s,
                ""));
        timeline(HANDOFF, outcomes, "SIGTERM");
    }

    public void crash(int iterations) {
        faultSeries(
                Fault.KILL,
                CRASH,
                iterations,
                "kill -9 -> survivors agree on a new leader",
                "p99 <= 300 ms",
                "kill -9");
    }

    public void freeze(int iterations) {
        faultSeries(
                Fault.STOP,
                FREEZE,
                iterations,
                "SIGSTOP -> others agree on a new leader",
                "p99 <= max election timeout + 150 ms = 750 ms",
                "SIGSTOP");
    }

    private void faultSeries(Fault fault, String scenario, int iterations, String metric, String goal, String what) {
        List<Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < iterations; i++) {
            outcomes.add(once(fault, i, iterations));
        }
        run.add(Result.of(
                scenario,
                cluster.system(),
                metric,
                outcomes.stream().map(Outcome::millis).toList(),
                "ms",
                cluster.settings(),
                goal));
        List<Double> leases =
                outcomes.stream().map(Outcome::leaseMillis).filter(m -> m >= 0).toList();
        if (!leases.isEmpty()) {
            // The new leader may be elected before the old leader's lease surely ended (crash-fast
            // detection); leader-only work waits for its own lease.
            run.add(Result.of(
                    scenario,
                    cluster.system(),
                    what + " -> the new leader holds its lease (isLeader(), @LeaderOnly)",
                    leases,
                    "ms",
                    cluster.settings(),
                    ""));
        }
        timeline(scenario, outcomes, what);
    }

    /** @param leaseMillis event -> the new leader's lease holds, -1 if never seen or not reported */
    private record Outcome(
            double millis,
            double leaderlessMillis,
            double leaseMillis,
            List<LeaderEvents.Event> events,
            long eventMillis,
            String victim) {}

    private Outcome once(Fault fault, int i, int iterations) {
        Status leader = cluster.awaitAgreedLeader(cluster.ids(), START_DEADLINE);
        Cluster.sleep(SETTLE.toMillis()); // heartbeats flowing, no election in progress
        leader = cluster.awaitAgreedLeader(cluster.ids(), DEADLINE);
        String old = leader.nodeId();
        long oldTerm = leader.term();
        List<String> survivors =
                cluster.ids().stream().filter(id -> !id.equals(old)).toList();
        NodeProcess victim = cluster.node(old);
        Map<String, Long> marks = LeaderEvents.marks(cluster.nodes());

        long event = System.currentTimeMillis();
        switch (fault) {
            case TERM -> victim.terminateNoWait();
            case KILL -> victim.killNoWait();
            case STOP -> victim.freeze();
        }
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        Optional<Agreement> agreed = Optional.empty();
        List<LeaderEvents.Event> events = List.of();
        while (agreed.isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                if (fault == Fault.STOP) {
                    victim.resume();
                }
                throw new IllegalStateException(cluster.system() + " " + fault + ": survivors " + survivors
                        + " agreed on no new leader within " + DEADLINE + "\n" + cluster.logTails(30));
            }
            Cluster.sleep(10);
            events = events(marks, event);
            agreed = firstAgreement(events, survivors, oldTerm);
        }
        String next = agreed.get().leader();
        long term = agreed.get().term();
        // Only our nodes log a lease (Ratis has none): wait for it, at most 3 s.
        long leaseDeadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (cluster.reportsLease() && lease(events, next, term).isEmpty() && System.nanoTime() - leaseDeadline < 0) {
            Cluster.sleep(10);
            events = events(marks, event);
        }
        Cluster.sleep(300); // a little history after the agreement, for the timeline
        events = events(marks, event);
        // A lease not seen within the wait counts as the wait, so that a slow one is not dropped.
        double leaseMillis = !cluster.reportsLease()
                ? -1
                : lease(events, next, term).map(t -> (double) (t - event)).orElseGet(() -> {
                    Run.log("%s: no lease logged by %s within 3 s; counted as 3000 ms", cluster.system(), next);
                    return 3000.0;
                });
        double millis = agreed.get().atMillis() - event;
        // Leaderless from the first sign that the old leader no longer leads: for a handoff its
        // lease given up (isLeader() false) before TimeoutNow, else the first campaign or leaderless node.
        long firstLeft = events.stream()
                .filter(e -> e.kind() != LeaderEvents.Kind.KNOWS && e.kind() != LeaderEvents.Kind.LEASE)
                .mapToLong(LeaderEvents.Event::epochMillis)
                .min()
                .orElse(event);
        double leaderless = Math.max(0, agreed.get().atMillis() - firstLeft);
        Run.log(
                "%s %s %d/%d at %s: %s (term %d) -> %s (term %d) after %.0f ms%s",
                cluster.system(),
                fault,
                i + 1,
                iterations,
                java.time.Instant.ofEpochMilli(event),
                old,
                oldTerm,
                next,
                term,
                millis,
                fault == Fault.TERM ? String.format(" (leaderless %.0f ms)", leaderless) : "");

        switch (fault) {
            case TERM -> {
                if (!victim.awaitExit(60)) {
                    victim.kill();
                }
                cluster.start(old);
            }
            case KILL -> {
                victim.awaitExit(30);
                cluster.start(old);
            }
            case STOP -> victim.resume();
        }
        // the hurt node must be back as a follower (or leader again) before the next iteration
        cluster.awaitAgreedLeader(cluster.ids(), START_DEADLINE);
        return new Outcome(millis, leaderless, leaseMillis, events, event, old);
    }

    /** What the nodes logged from the marks on, at or after {@code fromMillis} (the fault). */
    private List<LeaderEvents.Event> events(Map<String, Long> marks, long fromMillis) {
        List<LeaderEvents.Event> all = new ArrayList<>();
        for (NodeProcess n : cluster.nodes()) {
            LeaderEvents.read(n.logFile(), n.id(), marks.get(n.id())).stream()
                    .filter(e -> e.epochMillis() >= fromMillis)
                    .forEach(all::add);
        }
        all.sort(Comparator.comparingLong(LeaderEvents.Event::epochMillis)); // stable: file order kept per node
        return all;
    }

    record Agreement(String leader, long term, long atMillis) {}

    /** The first instant at which every one of {@code nodes} knows the same leader of a term above {@code aboveTerm}. */
    static Optional<Agreement> firstAgreement(List<LeaderEvents.Event> sorted, List<String> nodes, long aboveTerm) {
        Map<String, LeaderEvents.Event> now = new HashMap<>();
        for (LeaderEvents.Event e : sorted) {
            if (e.kind() == LeaderEvents.Kind.LEASE || e.kind() == LeaderEvents.Kind.LEASE_ENDED) {
                continue; // a lease says nothing about whom a node follows
            }
            now.put(e.node(), e);
            LeaderEvents.Event first = now.get(nodes.get(0));
            if (first == null || first.kind() != LeaderEvents.Kind.KNOWS || first.term() <= aboveTerm) {
                continue;
            }
            boolean all = nodes.stream()
                    .map(now::get)
                    .allMatch(x -> x != null
                            && x.kind() == LeaderEvents.Kind.KNOWS
                            && x.term() == first.term()
                            && first.leader().equals(x.leader()));
            if (all) {
                return Optional.of(new Agreement(first.leader(), first.term(), e.epochMillis()));
            }
        }
        return Optional.empty();
    }

    private static Optional<Long> lease(List<LeaderEvents.Event> events, String leader, long term) {
        return events.stream()
                .filter(e -> e.kind() == LeaderEvents.Kind.LEASE && e.node().equals(leader) && e.term() == term)
                .map(LeaderEvents.Event::epochMillis)
                .findFirst();
    }

    /** The timeline of the iteration with the median figure, from the nodes' logged role changes. */
    private void timeline(String scenario, List<Outcome> outcomes, String what) {
        List<Outcome> sorted = new ArrayList<>(outcomes);
        sorted.sort(Comparator.comparingDouble(Outcome::millis));
        Outcome median = sorted.get(sorted.size() / 2);
        List<Run.Series> series = new ArrayList<>();
        for (String id : cluster.ids()) {
            List<double[]> points = new ArrayList<>();
            int level = id.equals(median.victim()) ? 2 : 0;
            points.add(new double[] {-50, level});
            if (id.equals(median.victim())) {
                level = -1; // killed, stopped or shutting down: it leads nothing from here
                points.add(new double[] {0, 2});
                points.add(new double[] {0, level});
            }
            for (LeaderEvents.Event e : median.events()) {
                if (e.node().equals(id) && !(id.equals(median.victim()) && e.epochMillis() > median.eventMillis())) {
                    double t = e.epochMillis() - median.eventMillis();
                    points.add(new double[] {t, level}); // a step, not a ramp
                    level = e.level();
                    points.add(new double[] {t, level});
                }
            }
            points.add(new double[] {median.millis() + 300, level});
            series.add(new Run.Series(
                    id,
                    points.stream().mapToDouble(p -> p[0]).toArray(),
                    points.stream().mapToDouble(p -> p[1]).toArray()));
        }
        run.timelines.add(new Run.Timeline(
                scenario,
                cluster.system(),
                cluster.system() + ": " + what + " of the leader at t=0 (median iteration, "
                        + String.format("%.0f ms", median.millis()) + ")",
                series));
    }

    /** Waits until no node is down, for use between scenarios. */
    public static Optional<Status> healthy(Cluster c) {
        return c.agreedLeader(c.ids());
    }
}
