package io.raftboot.spring.roles;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The named roles of the configuration ({@code raft.roles.<name>.*}), checked, as they concern
 * this node: the weight of each role, and which roles this node must not hold.
 *
 * @param weights role name to weight (at least 1), for every role configured
 * @param excludedHere the roles whose {@code excluded-nodes} name this node
 * @param requireReadiness whether roles are offered only while the application accepts traffic
 */
public record RoleDefinitions(Map<String, Integer> weights, Set<String> excludedHere, boolean requireReadiness) {

    public RoleDefinitions {
        weights = Collections.unmodifiableSortedMap(new TreeMap<>(weights));
        excludedHere = Collections.unmodifiableSortedSet(new TreeSet<>(excludedHere));
    }

    /**
     * What this node offers: the configured roles and {@code annotated} (the role names found on
     * the application's beans), each with its configured weight or 1, except the excluded ones.
     */
    public SortedMap<String, Integer> offered(Set<String> annotated) {
        SortedMap<String, Integer> offered = new TreeMap<>(weights);
        for (String role : annotated) {
            offered.putIfAbsent(role, 1);
        }
        offered.keySet().removeAll(excludedHere);
        return offered;
    }
}
