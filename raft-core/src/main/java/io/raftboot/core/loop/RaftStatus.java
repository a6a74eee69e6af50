package io.raftboot.core.loop;

import io.raftboot.core.node.Membership;
import io.raftboot.core.node.Role;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * An immutable view of a node, published by the driver after every step; safe to read from any
 * thread. Field names follow the {@code /actuator/raft} contract.
 *
 * @param leaseValidUntilNanos {@link System#nanoTime()} until which this node surely leads, or
 *     {@link Long#MIN_VALUE} when it holds no lease
 * @param peers the other members as this node sees them; rebuilt when the role or term changes
 *     and otherwise when the loop wakes 10 ticks (100 ms by default) or more after the last
 *     build, since it is for display only (a leader wakes at every heartbeat; the loop sleeps
 *     between its timers' deadlines)
 * @param membership the configuration in force on this node (the newest in its log, thesis §4.1)
 * @param membershipIndex the log index of that configuration's entry (0: the bootstrap membership)
 * @param roles the named roles this node holds (issue 16), with their deadlines; who holds each
 *     role cluster-wide is {@code membership().roles()}
 */
public record RaftStatus(
        String nodeId,
        Role role,
        long term,
        String leaderId,
        long commitIndex,
        long lastApplied,
        long lastIndex,
        long leaseValidUntilNanos,
        List<PeerState> peers,
        Membership membership,
        long membershipIndex,
        Map<String, RoleLease> roles) {

    public RaftStatus {
        peers = List.copyOf(peers);
        Objects.requireNonNull(membership, "membership");
        roles = roles.isEmpty() ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(roles));
    }

    /**
     * The hold of {@code role} right now, with its token, checked against the clock once: empty
     * when this node does not hold it or its proof ran out.
     */
    public Optional<RoleLease> roleLease(String role) {
        RoleLease lease = roles.get(role);
        return lease != null && lease.holdsAt(System.nanoTime()) ? Optional.of(lease) : Optional.empty();
    }

    /** Whether this node holds {@code role} right now. */
    public boolean holdsRole(String role) {
        return roleLease(role).isPresent();
    }

    /** The names of the roles held at {@code nanos}. */
    Set<String> rolesHeldAt(long nanos) {
        Set<String> held = new TreeSet<>();
        roles.forEach((name, lease) -> {
            if (lease.holdsAt(nanos)) {
                held.add(name);
            }
        });
        return held;
    }

    /** Whether this node is leader and its lease has not run out yet (checked against the clock now). */
    public boolean holdsLease() {
        return holdsLeaseAt(System.nanoTime());
    }

    /** {@link #holdsLease()} at {@code nanos}, for the driver's own clock. */
    boolean holdsLeaseAt(long nanos) {
        // MIN_VALUE is tested first: nanos - MIN_VALUE overflows and would look like a valid lease.
        return role == Role.LEADER && leaseValidUntilNanos != Long.MIN_VALUE && nanos - leaseValidUntilNanos < 0;
    }

    /**
     * The lease this status holds right now, with its term, checked against the clock once:
     * empty when this node does not lead or its lease ended. The term and the deadline come from
     * this one immutable status, so the fencing token is always the lease's own.
     */
    public Optional<LeaderLease> lease() {
        return holdsLease() ? Optional.of(new LeaderLease(term, leaseValidUntilNanos)) : Optional.empty();
    }

    /** Milliseconds left on the lease right now, 0 if none. */
    public long leaseValidForMillis() {
        if (role != Role.LEADER || leaseValidUntilNanos == Long.MIN_VALUE) {
            return 0;
        }
        long remaining = leaseValidUntilNanos - System.nanoTime();
        return remaining > 0 ? remaining / 1_000_000 : 0;
    }
}
