package io.raftboot.core.node;

import io.raftboot.core.log.RaftLog;
import io.raftboot.core.message.AppendEntries;
import io.raftboot.core.message.AppendResponse;
import io.raftboot.core.message.InstallSnapshot;
import io.raftboot.core.message.SnapshotResponse;
import io.raftboot.core.storage.Snapshot;
import java.lang.System.Logger.Level;

/**
 * The follower's side of log replication: the AppendEntries receiver (Figure 2, §5.3) with its
 * fast-backtracking hint, and the InstallSnapshot receiver (§7, Figure 13). The caller has
 * already accepted the sender as the leader of the current term.
 */
final class FollowerLog {

    private static final System.Logger LOG = System.getLogger(RaftNode.class.getName());

    private final RaftNode node;
    private final RaftLog log;

    FollowerLog(RaftNode node, RaftLog log) {
        this.node = node;
        this.log = log;
    }

    void onAppendEntries(AppendEntries m) {
        long commit = node.commitIndex();
        long term = node.term();
        if (m.prevLogIndex() < commit) {
            // Our committed prefix matches any current leader's log (§5.4.3); tell it how far.
            node.send(new AppendResponse(node.id(), m.from(), term, true, commit, 0, 0, m.readSeq()));
            return;
        }
        if (log.matchTerm(m.prevLogIndex(), m.prevLogTerm())) {
            // Figure 2 receiver steps 3-5.
            log.appendFromLeader(m.entries(), commit);
            long lastNew = m.lastIndex();
            long newCommit = Math.min(m.leaderCommit(), lastNew);
            if (newCommit > commit) {
                node.commitTo(newCommit);
            }
            node.send(new AppendResponse(node.id(), m.from(), term, true, lastNew, 0, 0, m.readSeq()));
            return;
        }
        // Consistency check failed (§5.3): hint where the leader should retry (fast backtracking).
        long hintIndex;
        long hintTerm;
        if (log.lastIndex() < m.prevLogIndex()) {
            hintIndex = log.lastIndex() + 1;
            hintTerm = 0;
        } else {
            hintTerm = log.term(m.prevLogIndex());
            hintIndex = Math.max(commit + 1, log.firstIndexOfTermAtOrBefore(m.prevLogIndex(), hintTerm));
        }
        node.send(new AppendResponse(
                node.id(), m.from(), term, false, m.prevLogIndex(), hintIndex, hintTerm, m.readSeq()));
    }

    /** Returns the snapshot to hand the driver, or null when our commit index already covers it. */
    Snapshot onInstallSnapshot(InstallSnapshot m) {
        Snapshot s = m.snapshot();
        if (s.lastIndex() <= node.commitIndex()) {
            node.send(new SnapshotResponse(node.id(), m.from(), node.term(), node.commitIndex()));
            return null;
        }
        // §7, Figure 13: keep the log after the snapshot only if it holds the snapshot's last entry.
        LOG.log(
                Level.INFO,
                "{0}: term {1}: installing snapshot up to {2} from {3}",
                node.id(),
                node.term(),
                s.lastIndex(),
                m.from());
        log.restore(s);
        node.commitTo(s.lastIndex());
        node.send(new SnapshotResponse(node.id(), m.from(), node.term(), s.lastIndex()));
        return s;
    }
}
