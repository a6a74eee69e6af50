package io.raftboot.core.node;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The cluster's members: voters elect and form quorums; learners replicate and know the leader
 * but never vote or count toward a quorum. A configuration lives in the replicated log (a
 * {@link io.raftboot.core.log.EntryType#MEMBERSHIP} entry) and in snapshots; the one in the
 * settings only bootstraps a new cluster. It changes one voter at a time ({@link MembershipChange},
 * thesis §4.1).
 *
 * @param joining learners to promote to voters once their log caught up (thesis §4.2.1); any
 *     leader of a later term carries the promotion on, since the intent is in the log
 * @param addresses where each member listens ("host:port"), as far as known; opaque to the core,
 *     carried so that a node learns a new member's address from the log
 * @param roles who holds each named role (issue 16), as the leader assigned them; a role not
 *     listed is held by nobody. Role assignments live in the configuration so that they are in
 *     force as soon as they are in the log, fall back with it when a suffix is truncated, and
 *     travel in snapshots, exactly like the members (thesis §4.1)
 */
public record Membership(
        Set<String> voters,
        Set<String> learners,
        Set<String> joining,
        Map<String, String> addresses,
        Map<String, RoleGrant> roles) {

    /**
     * Longest member id (a DNS name's length). Ids are written with DataOutput.writeUTF, which
     * fails beyond 65,535 bytes; a change that could not be written would stop the node.
     */
    public static final int MAX_ID_CHARS = 253;

    /** Longest address: a DNS name, a colon and a port. */
    public static final int MAX_ADDRESS_CHARS = MAX_ID_CHARS + 6;

    /** @throws IllegalArgumentException if {@code id} is longer than {@link #MAX_ID_CHARS} */
    public static String checkedId(String id) {
        if (id.length() > MAX_ID_CHARS) {
            throw new IllegalArgumentException("a member id has " + id.length() + " characters, more than "
                    + MAX_ID_CHARS + ": '" + id.substring(0, 40) + "...'");
        }
        return id;
    }

    public Membership {
        // Sorted, not Set.copyOf: the iteration order of Set.of/Set.copyOf is salted per JVM, and
        // RaftNode sends vote requests in voters() order, so the simulation must not depend on it.
        voters = Collections.unmodifiableSortedSet(new TreeSet<>(voters));
        learners = Collections.unmodifiableSortedSet(new TreeSet<>(learners));
        joining = Collections.unmodifiableSortedSet(new TreeSet<>(joining));
        SortedMap<String, String> sortedAddresses = new TreeMap<>(addresses);
        addresses = Collections.unmodifiableSortedMap(sortedAddresses);
        roles = Collections.unmodifiableSortedMap(new TreeMap<>(roles));
        if (voters.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one voter");
        }
        voters.forEach(Membership::checkedId);
        learners.forEach(Membership::checkedId);
        for (Map.Entry<String, String> e : addresses.entrySet()) {
            if (e.getValue().length() > MAX_ADDRESS_CHARS) {
                throw new IllegalArgumentException(
                        "the address of '" + e.getKey() + "' has more than " + MAX_ADDRESS_CHARS + " characters");
            }
        }
        for (String learner : learners) {
            if (voters.contains(learner)) {
                throw new IllegalArgumentException("node '" + learner + "' is listed as both voter and learner");
            }
        }
        for (String id : joining) {
            if (!learners.contains(id)) {
                throw new IllegalArgumentException("node '" + id + "' is joining but is not a learner");
            }
        }
        for (String id : addresses.keySet()) {
            if (!voters.contains(id) && !learners.contains(id)) {
                throw new IllegalArgumentException("an address is given for '" + id + "', which is not a member");
            }
        }
        for (Map.Entry<String, RoleGrant> e : roles.entrySet()) {
            RoleCandidacy.checkedRole(e.getKey());
            String holder = e.getValue().holder();
            if (!voters.contains(holder) && !learners.contains(holder)) {
                throw new IllegalArgumentException(
                        "role '" + e.getKey() + "' is held by '" + holder + "', which is not a member");
            }
        }
    }

    /** Members without roles. */
    public Membership(Set<String> voters, Set<String> learners, Set<String> joining, Map<String, String> addresses) {
        this(voters, learners, joining, addresses, Map.of());
    }

    public Membership(Set<String> voters, Set<String> learners) {
        this(voters, learners, Set.of(), Map.of());
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

    /** The member's address, or null when this configuration does not say. */
    public String address(String id) {
        return addresses.get(id);
    }

    /** The same members with ids only compared: whether {@code other} has the same voters and learners. */
    public boolean sameMembers(Membership other) {
        return voters.equals(other.voters) && learners.equals(other.learners);
    }

    /** How many voters are in one of the two configurations and not in the other. */
    int votersChangedFrom(Membership other) {
        int changed = 0;
        for (String v : voters) {
            if (!other.voters.contains(v)) {
                changed++;
            }
        }
        for (String v : other.voters) {
            if (!voters.contains(v)) {
                changed++;
            }
        }
        return changed;
    }

    @Override
    public String toString() {
        return "voters " + voters + (learners.isEmpty() ? "" : ", learners " + learners)
                + (joining.isEmpty() ? "" : " (joining " + joining + ")")
                + (roles.isEmpty() ? "" : ", roles " + roles);
    }

    Membership withAddress(String id, String address) {
        Map<String, String> next = new TreeMap<>(addresses);
        if (address == null) {
            next.remove(id);
        } else {
            next.put(id, Objects.requireNonNull(address));
        }
        return new Membership(voters, learners, joining, next, roles);
    }

    /** The same members with other role assignments. */
    Membership withRoles(Map<String, RoleGrant> nextRoles) {
        return new Membership(voters, learners, joining, addresses, nextRoles);
    }

    /** The roles {@code id} holds in this configuration. */
    public SortedMap<String, RoleGrant> rolesHeldBy(String id) {
        SortedMap<String, RoleGrant> held = new TreeMap<>();
        roles.forEach((role, grant) -> {
            if (grant.holder().equals(id)) {
                held.put(role, grant);
            }
        });
        return held;
    }
}
