package io.raftboot.benchmarks.scenario;

import io.raftboot.benchmarks.Result;
import io.raftboot.benchmarks.Run;
import io.raftboot.benchmarks.cluster.Cluster;
import io.raftboot.benchmarks.cluster.NodeProcess;
import io.raftboot.benchmarks.cluster.Poller;
import io.raftboot.benchmarks.cluster.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Scenarios 1-3 on real processes: graceful handoff (SIGTERM of the leader), crash failover
 * (SIGKILL of the leader), frozen leader (SIGSTOP, then SIGCONT). Each iteration waits for all
 * three nodes to agree on a leader, lets the cluster settle, records the 5 ms status polls of all
 * nodes, hurts the leader and takes the first poll answer at which the survivors agree on a leader
 * of a newer term. The killed or stopped node is restarted from its data directory (or resumed)
 * and must rejoin before the next iteration.
 */
public final class Failover {

    public static final String HANDOFF = "1-graceful-handoff";
    public static final String CRASH = "2-crash-failover";
    public static final String FREEZE = "3-frozen-leader";

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Duration START_DEADLINE = Duration.ofSeconds(600);

    private final Run run;
    private final Cluster cluster;
    private final Poller poller;

    public Failover(Run run, Cluster cluster, Poller poller) {
        this.run = run;
        this.cluster = cluster;
        this.poller = poller;
    }

    private enum Fault { TERM, KILL, STOP }

    public void handoff(int iterations) {
        List<Double> total = new ArrayList<>();
        List<Double> leaderless = new ArrayList<>();
        List<List<Status>> histories = new ArrayList<>();
        List<Long> events = new ArrayList<>();
        for (int i = 0; i < iterations; i++) {
            Outcome o = once(Fault.TERM, i, iterations);
            total.add(o.millis);
            leaderless.add(o.leaderlessMillis);
            histories.add(o.history);
            events.add(o.eventNanos);
        }
        String s = cluster.settings() + "; SIGTERM of the leader, Spring graceful shutdown"
                + (cluster.handsOverOnShutdown() ? " (raft.shutdown.handoff-timeout 3s: TimeoutNow to the most up-to-date voter)" : "");
        run.add(Result.of(HANDOFF, cluster.system(), "leaderless time (last poll seeing the old leader lead -> survivors agree)",
                leaderless, "ms", s, "p99 <= 50 ms"));
        run.add(Result.of(HANDOFF, cluster.system(), "SIGTERM -> survivors agree on a new leader", total, "ms", s, ""));
        timeline(HANDOFF, total, histories, events, "SIGTERM");
    }

    public void crash(int iterations) {
        faultSeries(Fault.KILL, CRASH, iterations, "kill -9 -> survivors agree on a new leader", "p99 <= 300 ms", "kill -9");
    }

    public void freeze(int iterations) {
        faultSeries(Fault.STOP, FREEZE, iterations, "SIGSTOP -> others agree on a new leader",
                "p99 <= max election timeout + 150 ms = 750 ms", "SIGSTOP");
    }

    private void faultSeries(Fault fault, String scenario, int iterations, String metric, String goal, String what) {
        List<Double> millis = new ArrayList<>();
        List<Double> leases = new ArrayList<>();
        List<List<Status>> histories = new ArrayList<>();
        List<Long> events = new ArrayList<>();
        for (int i = 0; i < iterations; i++) {
            Outcome o = once(fault, i, iterations);
            millis.add(o.millis);
            if (o.leaseMillis >= 0) {
                leases.add(o.leaseMillis);
            }
            histories.add(o.history);
            events.add(o.eventNanos);
        }
        run.add(Result.of(scenario, cluster.system(), metric, millis, "ms", cluster.settings(), goal));
        if (!leases.isEmpty()) {
            // The new leader may be elected before the old leader's lease surely ended (crash-fast
            // detection); leader-only work waits for its own lease.
            run.add(Result.of(scenario, cluster.system(), what + " -> the new leader holds its lease (isLeader(), @LeaderOnly)",
                    leases, "ms", cluster.settings(), ""));
        }
        timeline(scenario, millis, histories, events, what);
    }

    /** @param leaseMillis event -> the new leader reports a valid lease, -1 if never seen or not reported */
    private record Outcome(double millis, double leaderlessMillis, double leaseMillis, List<Status> history, long eventNanos) {
    }

    private Outcome once(Fault fault, int i, int iterations) {
        Status leader = cluster.awaitAgreedLeader(cluster.ids(), START_DEADLINE);
        Cluster.sleep(700); // settle: heartbeats flowing, no election in progress
        leader = cluster.awaitAgreedLeader(cluster.ids(), DEADLINE);
        String old = leader.nodeId();
        long oldTerm = leader.term();
        List<String> survivors = cluster.ids().stream().filter(id -> !id.equals(old)).toList();
        NodeProcess victim = cluster.node(old);

        poller.startRecording();
        Cluster.sleep(150);
        long event = System.nanoTime();
        switch (fault) {
            case TERM -> victim.terminateNoWait();
            case KILL -> victim.killNoWait();
            case STOP -> victim.freeze();
        }
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (Cluster.agreement(poller.latest(), survivors, oldTerm).isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                if (fault == Fault.STOP) {
                    victim.resume();
                }
                throw new IllegalStateException(cluster.system() + " " + fault + ": survivors " + survivors
                        + " agreed on no new leader within " + DEADLINE + "\n" + cluster.logTails(30));
            }
            Cluster.sleep(2);
        }
        Status next = Cluster.agreement(poller.latest(), survivors, oldTerm).orElseThrow();
        // Only our status reports a lease (Ratis' has none): wait for it, at most 3 s.
        long leaseDeadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (next.leaseMillis() >= 0 && !poller.latest().get(next.nodeId()).holdsLease()
                && System.nanoTime() - leaseDeadline < 0) {
            Cluster.sleep(2);
        }
        Cluster.sleep(300); // a little history after the agreement, for the timeline
        List<Status> history = poller.stopRecording();
        double leaseMillis = history.stream().filter(s -> s.nodeId().equals(next.nodeId()) && s.holdsLease() && s.sentNanos() >= event)
                .mapToLong(Status::receivedNanos).min().stream().mapToDouble(t -> (t - event) / 1e6).findFirst().orElse(-1);
        Poller.Agreement agreed = Poller.firstAgreement(history, survivors, oldTerm, event)
                .orElseThrow(() -> new IllegalStateException("agreement seen live but not in the recorded history"));
        double millis = (agreed.atNanos() - event) / 1e6;
        long lastOld = history.stream()
                .filter(s -> s.term() == oldTerm && (s.nodeId().equals(old) ? s.isLeader() : s.isFollowerOf(old, oldTerm)))
                .mapToLong(Status::sentNanos).max().orElse(event);
        double leaderless = Math.max(0, (agreed.atNanos() - lastOld) / 1e6);
        io.raftboot.benchmarks.Run.log("%s %s %d/%d: %s (term %d) -> %s (term %d) after %.1f ms%s", cluster.system(), fault,
                i + 1, iterations, old, oldTerm, agreed.leader().nodeId(), agreed.leader().term(), millis,
                fault == Fault.TERM ? String.format(" (leaderless %.1f ms)", leaderless) : "");

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
        return new Outcome(millis, leaderless, leaseMillis, history, event);
    }

    /** The timeline of the iteration with the median figure. */
    private void timeline(String scenario, List<Double> millis, List<List<Status>> histories, List<Long> events, String what) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < millis.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble(millis::get));
        int median = order.get(order.size() / 2);
        List<Status> h = histories.get(median);
        long event = events.get(median);
        List<Run.Series> series = new ArrayList<>();
        for (String id : cluster.ids()) {
            List<Status> mine = h.stream().filter(s -> s.nodeId().equals(id)).toList();
            double[] x = mine.stream().mapToDouble(s -> (s.receivedNanos() - event) / 1e6).toArray();
            double[] y = mine.stream().mapToDouble(Status::level).toArray();
            series.add(new Run.Series(id, x, y));
        }
        run.timelines.add(new Run.Timeline(scenario, cluster.system(), cluster.system() + ": " + what
                + " of the leader at t=0 (median iteration, " + String.format("%.0f ms", millis.get(median)) + ")", series));
    }

    /** Waits until no node is down, for use between scenarios. */
    public static Optional<Status> healthy(Cluster c) {
        return c.agreedLeader(c.ids());
    }
}
