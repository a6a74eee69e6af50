package io.raftboot.benchmarks.cluster;

import io.raftboot.testsupport.process.RoleReport;

/**
 * What a node said about itself in one poll: the fields of {@code /actuator/raft} (ours) or of the
 * Ratis adapter's {@code /status}, which uses the same names. {@code sentNanos} and
 * {@code receivedNanos} bracket the instant the node was in this state; a failed poll has
 * {@code role == null}. {@code leaseMillis}: {@code leaseValidForMillis}, -1 where the system
 * reports none (Ratis).
 */
public record Status(
        String nodeId, String role, long term, String leaderId, long sentNanos, long receivedNanos, long leaseMillis)
        implements RoleReport {

    public Status(String nodeId, String role, long term, String leaderId, long sentNanos, long receivedNanos) {
        this(nodeId, role, term, leaderId, sentNanos, receivedNanos, -1);
    }

    public boolean ok() {
        return role != null;
    }
}
