package io.raftboot.benchmarks.scenario;

import io.raftboot.benchmarks.Run;
import io.raftboot.benchmarks.cluster.Cluster;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Scenario 11, named roles (issue 16), on the sample jar whose every node offers the roles
 * {@code r0..r9} at weight 1 through properties alone ({@code --raft.roles.rN.weight=1}): the
 * spread of the roles over 3 and over 5 nodes ({@link RoleSpread}), and on the 3 nodes the
 * failover of a role after kill -9 of its holder, of the Raft leader holding roles, and the
 * handoff on a graceful stop ({@link RoleFailover}).
 */
public final class NamedRoles {

    public static final String SCENARIO = "11-named-roles";
    static final List<String> ROLES =
            IntStream.range(0, 10).mapToObj(i -> "r" + i).toList();

    private final Run run;

    public NamedRoles(Run run) {
        this.run = run;
    }

    /** The application arguments that make a node offer the roles. */
    public static List<String> arguments() {
        return ROLES.stream().map(r -> "--raft.roles." + r + ".weight=1").toList();
    }

    static String describe() {
        return ROLES.size() + " roles " + ROLES.get(0) + ".." + ROLES.get(ROLES.size() - 1)
                + " offered by every node at weight 1";
    }

    /**
     * @param clusters a cluster of the given size whose nodes get {@link #arguments()}, not started
     * @param kills iterations of each kill -9 case
     * @param stops iterations of the graceful stop
     */
    public void measure(IntFunction<Cluster> clusters, int kills, int stops) {
        try (Cluster three = clusters.apply(3)) {
            new RoleSpread(run).measure(three, ROLES);
            RoleFailover f = new RoleFailover(run, three, ROLES);
            f.measure(RoleFailover.Fault.KILL_HOLDER, kills);
            f.measure(RoleFailover.Fault.KILL_LEADER, kills);
            f.measure(RoleFailover.Fault.STOP_HOLDER, stops);
        }
        try (Cluster five = clusters.apply(5)) {
            new RoleSpread(run).measure(five, ROLES);
        }
    }
}
