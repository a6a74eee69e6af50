package io.raftboot.benchmarks.cluster;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One round of {@link RolePoll}s over some nodes, one after the other: who holds which named
 * role as each node's own {@code isLeader(role)} would answer. Not one instant (the polls follow
 * each other by a few ms), which is why {@link #awaitSettled} asks for the same answer over a while.
 */
public record RoleSnapshot(Map<String, RolePoll> polls) {

    private static final Duration POLL_TIMEOUT = Duration.ofMillis(300);

    public static RoleSnapshot of(Cluster cluster, Collection<String> ids) {
        Map<String, RolePoll> polls = new LinkedHashMap<>();
        for (String id : ids) {
            polls.put(id, RolePoll.of(cluster, id, POLL_TIMEOUT));
        }
        return new RoleSnapshot(polls);
    }

    /** The nodes that hold {@code role} with a valid lease. */
    public List<String> holdersOf(String role) {
        return polls.values().stream()
                .filter(p -> p.holds(role))
                .map(RolePoll::nodeId)
                .toList();
    }

    /** role -> its one holder, when every role is held by exactly one node; empty otherwise. */
    public Optional<Map<String, String>> assignment(Collection<String> roles) {
        Map<String, String> holders = new TreeMap<>();
        for (String role : roles) {
            List<String> h = holdersOf(role);
            if (h.size() != 1) {
                return Optional.empty();
            }
            holders.put(role, h.get(0));
        }
        return Optional.of(holders);
    }

    /**
     * How many of {@code roles} each polled node holds (a node may hold other roles too, e.g. those
     * the sample's own {@code @LeaderOnly(role = ...)} methods name).
     */
    public Map<String, Integer> counts(Collection<String> roles) {
        Map<String, Integer> counts = new TreeMap<>();
        polls.forEach((id, p) ->
                counts.put(id, (int) p.held().stream().filter(roles::contains).count()));
        return counts;
    }

    /** The node that said it is the Raft leader (the first, should two say so in one round). */
    public Optional<String> leader() {
        return polls.values().stream()
                .filter(p -> "LEADER".equals(p.raftRole()))
                .map(RolePoll::nodeId)
                .findFirst();
    }

    /**
     * Waits until every one of {@code roles} is held by exactly one of the cluster's nodes and
     * that assignment has not changed for {@code quiet}: the leader moves roles for balance one at
     * a time, each unheld for the role wait (~300 ms at defaults), so a shorter look could end
     * between two moves.
     */
    public static RoleSnapshot awaitSettled(
            Cluster cluster, Collection<String> roles, Duration quiet, Duration deadline) {
        long[] stableSince = {0};
        AtomicReference<Map<String, String>> last = new AtomicReference<>();
        return cluster.await("every role held by one node, unchanged for " + quiet.toMillis() + " ms", deadline, () -> {
            RoleSnapshot s = of(cluster, cluster.ids());
            Optional<Map<String, String>> a = s.assignment(roles);
            long now = System.nanoTime();
            if (a.isEmpty() || !a.get().equals(last.get())) {
                last.set(a.orElse(null));
                stableSince[0] = now;
                return Optional.empty();
            }
            if (now - stableSince[0] < quiet.toNanos()) {
                Cluster.sleep(40); // a round every ~50 ms is enough to see a move
                return Optional.empty();
            }
            return Optional.of(s);
        });
    }
}
