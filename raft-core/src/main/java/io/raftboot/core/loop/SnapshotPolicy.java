package io.raftboot.core.loop;

import io.raftboot.core.node.RaftNode;
import io.raftboot.core.statemachine.StateMachine;
import io.raftboot.core.storage.Snapshot;
import io.raftboot.core.storage.Storage;
import java.lang.System.Logger.Level;

/**
 * When to snapshot the state machine and compact the log (§7): once {@code threshold} entries
 * were applied since the last snapshot, whether this node took it or received it.
 */
final class SnapshotPolicy {

    private static final System.Logger LOG = System.getLogger(RaftLoop.class.getName());

    private final String nodeId;
    private final long threshold;
    private long lastSnapshotIndex;

    /** @param threshold entries applied between snapshots; 0 or less never snapshots */
    SnapshotPolicy(String nodeId, long threshold) {
        this.nodeId = nodeId;
        this.threshold = threshold;
    }

    /** The state machine holds a snapshot up to {@code index} (recovered or installed). */
    void snapshotAt(long index) {
        lastSnapshotIndex = index;
    }

    void maybeSnapshot(RaftNode node, StateMachine stateMachine, Storage storage) {
        long applied = node.appliedIndex();
        if (threshold <= 0 || applied - lastSnapshotIndex < threshold) {
            return;
        }
        Snapshot snapshot = node.snapshotAt(applied, stateMachine.snapshot());
        storage.saveSnapshot(snapshot);
        node.compact(snapshot);
        lastSnapshotIndex = applied;
        LOG.log(
                Level.DEBUG,
                "node {0}: snapshot at index {1} ({2} bytes), log compacted",
                nodeId,
                applied,
                snapshot.data().length);
    }
}
