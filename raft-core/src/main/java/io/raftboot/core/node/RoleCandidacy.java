package io.raftboot.core.node;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one node offers to hold (issue 16): the named roles it runs work for, each with a weight
 * (the leader balances the sum of weights per node), and whether it is available at all. A node
 * that is not available (not ready, unhealthy, stopping) holds no role, and its followers'
 * responses say so, so the leader moves its roles at once ({@link RoleAssigner}). Each node
 * sends its own with every AppendResponse; the leader's is its own.
 *
 * @param available whether the node may hold roles now
 * @param roles role name to weight (at least 1), sorted by name
 * @param released per role, the highest token this node gave up for good (it stopped offering
 *     the role, or became unavailable, while it held it): it never acts on a grant of that role
 *     with a token up to this one again, so the leader may grant the role to another node as soon
 *     as it revoked it, without waiting for the node's proofs to run out. Set by the core
 *     ({@link RoleProofs}), not by the application
 */
public record RoleCandidacy(boolean available, SortedMap<String, Integer> roles, SortedMap<String, Long> released) {

    /** Longest role name: a role name travels with every response. */
    public static final int MAX_ROLE_CHARS = 128;

    /** Available, for no role: a node whose application declares none. */
    public static final RoleCandidacy NONE = new RoleCandidacy(true, new TreeMap<>());

    public RoleCandidacy {
        Objects.requireNonNull(roles, "roles");
        Objects.requireNonNull(released, "released");
        for (Map.Entry<String, Integer> e : roles.entrySet()) {
            checkedRole(e.getKey());
            if (e.getValue() == null || e.getValue() < 1) {
                throw new IllegalArgumentException(
                        "the weight of role '" + e.getKey() + "' must be at least 1, got " + e.getValue());
            }
        }
        roles = Collections.unmodifiableSortedMap(new TreeMap<>(roles));
        released = Collections.unmodifiableSortedMap(new TreeMap<>(released));
    }

    /** What an application offers: these roles, nothing released. */
    public RoleCandidacy(boolean available, Map<String, Integer> roles) {
        this(available, new TreeMap<>(roles), new TreeMap<>());
    }

    /** The same roles, available or not. */
    public RoleCandidacy withAvailable(boolean available) {
        return new RoleCandidacy(available, roles, released);
    }

    /** The same offer with these released tokens. */
    RoleCandidacy withReleased(SortedMap<String, Long> releasedTokens) {
        return new RoleCandidacy(available, roles, releasedTokens);
    }

    /** Whether this node gave up {@code role}'s grant with {@code token} for good. */
    public boolean released(String role, long token) {
        Long upTo = released.get(role);
        return upTo != null && token <= upTo;
    }

    /** Whether the node offers anything at all: it sends probes only then. */
    public boolean offersAny() {
        return available && !roles.isEmpty();
    }

    /** Whether the node may hold {@code role} now. */
    public boolean offers(String role) {
        return available && roles.containsKey(role);
    }

    /** The weight of {@code role}; 1 when the node does not declare it. */
    public int weight(String role) {
        return roles.getOrDefault(role, 1);
    }

    /** @throws IllegalArgumentException if {@code role} is empty or longer than {@link #MAX_ROLE_CHARS} */
    public static String checkedRole(String role) {
        Objects.requireNonNull(role, "role");
        if (role.isEmpty() || role.length() > MAX_ROLE_CHARS) {
            throw new IllegalArgumentException(
                    "a role name must have 1 to " + MAX_ROLE_CHARS + " characters, got '" + role + "'");
        }
        return role;
    }
}
