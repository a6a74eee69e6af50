package io.raftboot.core.sim;

import io.raftboot.core.node.Role;

/**
 * What the application reads on one node through {@code isLeader()}: the status the driver
 * ({@code RaftLoop}) last published, with its lease deadline. The deadline is the driver's
 * {@code leaseValidUntilNanos()} (start of the tick whose heartbeat a quorum acknowledged, plus
 * the lease in the node's own tick intervals) expressed in virtual (real) time, so a node whose
 * clock runs slow holds it longer in real time. A paused node's status stays readable: during a
 * slow fsync the loop is stuck but the application keeps calling {@code isLeader()}.
 */
record PublishedStatus(Role role, long term, long leaseUntil) {

    static final PublishedStatus NONE = new PublishedStatus(Role.FOLLOWER, 0, Long.MIN_VALUE);

    /** What {@code isLeader()} answers at virtual time {@code now}. */
    boolean holdsLeaseAt(long now) {
        return role == Role.LEADER && now < leaseUntil;
    }
}
