package io.raftboot.core.sim;

import io.raftboot.core.log.LogEntry;
import io.raftboot.core.node.RaftNode;
import io.raftboot.core.node.Role;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The safety properties of Raft (paper, Figure 3) plus this library's promises, checked by the
 * simulation after every event. A violation throws {@link InvariantViolation}.
 */
final class InvariantChecker {

    static final class InvariantViolation extends RuntimeException {
        InvariantViolation(String message) {
            super(message);
        }
    }

    private record EntryKey(long index, long term) {}

    private record EntryIdentity(int dataHash, long prevTerm) {}

    private final Map<Long, String> leaderOfTerm = new HashMap<>();
    private final Map<EntryKey, EntryIdentity> entries = new HashMap<>();
    private final TreeMap<Long, LogEntry> applied = new TreeMap<>();
    private final TreeMap<Long, byte[]> acked = new TreeMap<>();
    private long maxAckedIndex;
    private long highestLeaderTerm;

    /** Election safety (§5.2): at most one leader per term. */
    void onLeader(RaftNode node) {
        String previous = leaderOfTerm.putIfAbsent(node.term(), node.id());
        if (previous != null && !previous.equals(node.id())) {
            throw new InvariantViolation("election safety: both " + previous + " and " + node.id()
                    + " became leader in term " + node.term());
        }
        // Leader completeness (§5.4): the new leader's log holds every committed entry. Only a
        // leader of the highest term yet: a candidate paused while its votes arrived can win an
        // older term after a later leader committed more, which §5.4 allows (it only binds the
        // leaders of later terms, and this stale one is deposed as soon as it is heard).
        if (node.term() < highestLeaderTerm) {
            return;
        }
        highestLeaderTerm = node.term();
        for (LogEntry committed : applied.tailMap(node.firstIndex(), true).values()) {
            if (committed.index() > node.lastIndex()) {
                throw new InvariantViolation("leader completeness: leader " + node.id() + " of term " + node.term()
                        + " lacks committed entry " + committed);
            }
            LogEntry mine = node.entry(committed.index());
            if (!mine.equals(committed)) {
                throw new InvariantViolation("leader completeness: leader " + node.id() + " of term " + node.term()
                        + " has " + mine + " where " + committed + " was committed");
            }
        }
    }

    /**
     * Log matching (§5.3): an entry's (index, term) identifies its content and its predecessor's
     * term on every node, hence (inductively) the whole prefix.
     */
    void onPersisted(String nodeId, LogEntry e, long prevTermOnDisk) {
        EntryIdentity identity =
                new EntryIdentity(Arrays.hashCode(e.data()) * 31 + e.type().ordinal(), prevTermOnDisk);
        EntryIdentity known = entries.putIfAbsent(new EntryKey(e.index(), e.term()), identity);
        if (known == null) {
            return;
        }
        if (known.dataHash() != identity.dataHash()
                || (known.prevTerm() >= 0 && prevTermOnDisk >= 0 && known.prevTerm() != prevTermOnDisk)) {
            throw new InvariantViolation("log matching: node " + nodeId + " persisted " + e + " after term "
                    + prevTermOnDisk + " but another node holds a different entry (or predecessor term "
                    + known.prevTerm() + ") at the same index and term");
        }
    }

    /** State machine safety (§5.4.3): every node applies the same entry at each index. */
    void onApplied(String nodeId, LogEntry e) {
        LogEntry first = applied.putIfAbsent(e.index(), e);
        if (first != null && !first.equals(e)) {
            throw new InvariantViolation("state machine safety: node " + nodeId + " applied " + e + " at index "
                    + e.index() + " where " + first + " was applied before");
        }
    }

    void onSnapshotRestored(String nodeId, long index) {
        if (index > 0 && !applied.containsKey(index)) {
            throw new InvariantViolation(
                    "node " + nodeId + " restored a snapshot at " + index + " that no node ever applied");
        }
    }

    /** An acknowledged write must be the entry applied at its index, now and forever. */
    void onAcked(long index, byte[] command) {
        LogEntry atIndex = applied.get(index);
        if (atIndex == null || !Arrays.equals(atIndex.data(), command)) {
            throw new InvariantViolation("acknowledged write at " + index + " is not the applied entry " + atIndex);
        }
        acked.put(index, command);
        maxAckedIndex = Math.max(maxAckedIndex, index);
    }

    long maxAckedIndex() {
        return maxAckedIndex;
    }

    int ackedCount() {
        return acked.size();
    }

    /**
     * Checks that need every node: one leader per term among current leaders, one tick lease at a
     * time among {@code tickLeases} (nodes never paused: a pause stops a node's ticks, so only
     * the driver's published lease, checked by the simulation, still measures real time).
     */
    void afterEvent(Collection<RaftNode> live, Collection<RaftNode> tickLeases) {
        RaftNode leaseHolder = null;
        for (RaftNode n : live) {
            if (n.role() == Role.LEADER) {
                String known = leaderOfTerm.get(n.term());
                if (known != null && !known.equals(n.id())) {
                    throw new InvariantViolation(
                            "election safety: " + n.id() + " leads term " + n.term() + " which " + known + " led");
                }
            }
        }
        for (RaftNode n : tickLeases) {
            if (n.leaseValid()) {
                if (leaseHolder != null) {
                    throw new InvariantViolation("lease: " + leaseHolder.id() + " (term " + leaseHolder.term()
                            + ") and " + n.id() + " (term " + n.term() + ") both hold a valid leader lease");
                }
                leaseHolder = n;
            }
        }
    }

    /** Every acknowledged write is applied on a node that applied up to {@code lastApplied}. */
    void checkAckedWritesApplied(String nodeId, long lastApplied) {
        if (!acked.isEmpty() && acked.lastKey() > lastApplied) {
            throw new InvariantViolation("node " + nodeId + " applied only up to " + lastApplied + " but a write at "
                    + acked.lastKey() + " was acknowledged");
        }
    }
}
