package io.raftboot.core.node;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cluster's members: voters elect and form quorums; learners replicate and know the
 * leader but never vote or count toward a quorum. Fixed for the life of a cluster
 * (no joint consensus yet).
 */
public record Membership(Set<String> voters, Set<String> learners) {

    public Membership {
        // Sorted, not Set.copyOf: the iteration order of Set.of/Set.copyOf is salted per JVM, and
        // RaftNode sends vote requests in voters() order, so the simulation must not depend on it.
        voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
        learners = Collections.unmodifiableSortedSet(new TreeSet<>(learners));
        if (voters.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one voter");
        }
        for (String learner : learners) {
            if (voters.contains(learner)) {
                throw new IllegalArgumentException("node '" + learner + "' is listed as both voter and learner");
            }
        }
    }

    public static Membership ofVoters(String... ids) {
        return new Membership(Set.of(ids), Set.of());
    }

    /** Votes needed for a decision: a strict majority of voters. */
    public int quorum() {
        return voters.size() / 2 + 1;
    }

    public boolean isVoter(String id) {
        return voters.contains(id);
    }

    public boolean isLearner(String id) {
        return learners.contains(id);
    }

    public boolean contains(String id) {
        return voters.contains(id) || learners.contains(id);
    }

    /** Voters and learners, sorted by id (deterministic iteration for the simulation). */
    public TreeSet<String> all() {
        TreeSet<String> all = new TreeSet<>(voters);
        all.addAll(learners);
        return all;
    }
}
