package io.raftboot.benchmarks.scenario;

import io.raftboot.benchmarks.cluster.Cluster;
import io.raftboot.benchmarks.cluster.RolePoll;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Watches some roles move off a victim (killed or stopping) from outside: rounds of
 * {@code /actuator/raft} reads of the watched nodes, one after the other, a few ms apart, keeping
 * per role the last instant the victim held it and the first instant another node did (each the
 * middle of its request). Polling is kept to one request at a time: a tighter poll (hundreds of
 * requests per second on 2 cores) slows down the very failover it measures (see LeaderEvents).
 */
final class RoleWatch {

    /** Pause between two rounds. */
    private static final long PAUSE_MILLIS = 5;
    /** A stopping node may hang a request; a short timeout keeps the rounds short. */
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    private final Cluster cluster;
    private final List<String> watched;
    private final String victim;
    private final Set<String> roles;
    private final Map<String, Long> lastOnVictim = new TreeMap<>();
    private final Map<String, Long> firstElsewhere = new TreeMap<>();
    private final Map<String, String> newHolder = new TreeMap<>();
    private long rounds;
    private long roundNanos;

    /**
     * @param watched the nodes to read, the victim among them only if it may still answer (a graceful stop)
     */
    RoleWatch(Cluster cluster, List<String> watched, String victim, Set<String> roles) {
        this.cluster = cluster;
        this.watched = List.copyOf(watched);
        this.victim = victim;
        this.roles = Set.copyOf(roles);
    }

    /** One round over the watched nodes. */
    void round() {
        long started = System.nanoTime();
        for (String id : watched) {
            RolePoll p = RolePoll.of(cluster, id, POLL_TIMEOUT);
            for (String role : roles) {
                if (!p.holds(role)) {
                    continue;
                }
                if (id.equals(victim)) {
                    lastOnVictim.put(role, p.atNanos());
                } else if (!firstElsewhere.containsKey(role)) {
                    firstElsewhere.put(role, p.atNanos());
                    newHolder.put(role, id);
                }
            }
        }
        rounds++;
        roundNanos += System.nanoTime() - started;
    }

    /** Rounds until every role was seen held by another node, or fails after {@code deadline}. */
    void untilAllMoved(Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (firstElsewhere.size() < roles.size()) {
            if (System.nanoTime() - end > 0) {
                throw new IllegalStateException("roles " + roles + " of " + victim + " not all held elsewhere within "
                        + deadline + " (seen: " + newHolder + ")\n" + cluster.logTails(30));
            }
            round();
            Cluster.sleep(PAUSE_MILLIS);
        }
    }

    /** role -> nanoTime of the first read in which another node held it. */
    Map<String, Long> firstElsewhere() {
        return firstElsewhere;
    }

    /** role -> nanoTime of the last read in which the victim held it (absent if never seen). */
    Map<String, Long> lastOnVictim() {
        return lastOnVictim;
    }

    Map<String, String> newHolder() {
        return newHolder;
    }

    /** Mean duration of a round in ms plus the pause: the resolution of the figures. */
    double resolutionMillis() {
        return rounds == 0 ? Double.NaN : roundNanos / 1e6 / rounds + PAUSE_MILLIS;
    }
}
