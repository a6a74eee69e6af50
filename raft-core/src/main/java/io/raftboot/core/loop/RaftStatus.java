package io.raftboot.core.loop;

import io.raftboot.core.node.Role;
import java.util.List;

/**
 * An immutable view of a node, published by the driver after every step; safe to read from any
 * thread. Field names follow the {@code /actuator/raft} contract.
 *
 * @param leaseValidUntilNanos {@link System#nanoTime()} until which this node surely leads, or
 *     {@link Long#MIN_VALUE} when it holds no lease
 */
public record RaftStatus(String nodeId, Role role, long term, String leaderId, long commitIndex,
                         long lastApplied, long lastIndex, long leaseValidUntilNanos,
                         List<PeerState> peers) {

    public RaftStatus {
        peers = List.copyOf(peers);
    }

    public boolean holdsLease() {
        return role == Role.LEADER && System.nanoTime() - leaseValidUntilNanos < 0;
    }

    public long leaseValidForMillis() {
        long remaining = leaseValidUntilNanos - System.nanoTime();
        return role == Role.LEADER && remaining > 0 ? remaining / 1_000_000 : 0;
    }
}
