package io.raftboot.core.sim;

import io.raftboot.core.node.Role;
import java.util.Map;

/**
 * What the application reads on one node through {@code isLeader()}: the status the driver
 * ({@code RaftLoop}) last published, with its lease deadline. The deadline is the driver's
 * {@code leaseValidUntilNanos()} (start of the tick whose heartbeat a quorum acknowledged, plus
 * the lease in the node's own tick intervals) expressed in virtual (real) time, so a node whose
 * clock runs slow holds it longer in real time. A paused node's status stays readable: during a
 * slow fsync the loop is stuck but the application keeps calling {@code isLeader()}.
 *
 * @param roles the named roles held (issue 16), each with its token and deadline in virtual
 *     time, mapped from the node's ticks as {@code StatusPublisher} maps them to nanoseconds
 */
record PublishedStatus(Role role, long term, long leaseUntil, Map<String, RoleHold> roles) {

    static final PublishedStatus NONE = new PublishedStatus(Role.FOLLOWER, 0, Long.MIN_VALUE, Map.of());

    /** A named role as {@code isLeader(role)} reads it. */
    record RoleHold(long token, long until) {}

    /** What {@code isLeader()} answers at virtual time {@code now}. */
    boolean holdsLeaseAt(long now) {
        return role == Role.LEADER && now < leaseUntil;
    }

    /** What {@code isLeader(role)} answers at virtual time {@code now}: the hold, or null. */
    RoleHold roleAt(String name, long now) {
        RoleHold hold = roles.get(name);
        return hold != null && now < hold.until() ? hold : null;
    }
}
