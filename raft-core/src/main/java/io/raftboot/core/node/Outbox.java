package io.raftboot.core.node;

import io.raftboot.core.log.LogEntry;
import io.raftboot.core.message.Message;
import io.raftboot.core.message.VoteRequest;
import io.raftboot.core.message.VoteResponse;
import io.raftboot.core.storage.HardState;
import io.raftboot.core.storage.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a node has for its driver since the last {@link Ready}: messages, answered reads, a
 * snapshot received from the leader, and the states last reported (a Ready carries a state
 * only when it changed). Also the rule that says whether a Ready's messages may leave before
 * its writes are durable.
 */
final class Outbox {

    private List<Message> messages = new ArrayList<>();
    private List<ReadState> readStates = new ArrayList<>();
    private Snapshot pendingSnapshot;
    private HardState reportedHardState;
    private SoftState reportedSoftState;

    Outbox(HardState hardState, SoftState softState) {
        this.reportedHardState = hardState;
        this.reportedSoftState = softState;
    }

    void send(Message m) {
        messages.add(m);
    }

    /** Where answered reads go; the list changes with each Ready. */
    List<ReadState> readStates() {
        return readStates;
    }

    /** A snapshot from the leader, for the driver to persist and restore (§7). */
    void snapshotReceived(Snapshot snapshot) {
        pendingSnapshot = snapshot;
    }

    boolean softStateChanged(SoftState now) {
        return !now.equals(reportedSoftState);
    }

    boolean hasNews(HardState hs, SoftState ss) {
        return !messages.isEmpty()
                || !readStates.isEmpty()
                || pendingSnapshot != null
                || !hs.equals(reportedHardState)
                || softStateChanged(ss);
    }

    /** Takes everything out into a Ready; {@code role} and {@code realCandidate} decide whether messages may leave early. */
    Ready take(
            HardState hs,
            SoftState ss,
            List<LogEntry> unstable,
            List<LogEntry> committed,
            boolean leader,
            boolean realCandidate) {
        Ready ready = new Ready(
                ss.equals(reportedSoftState) ? null : ss,
                hs.equals(reportedHardState) ? null : hs,
                pendingSnapshot,
                unstable,
                messages,
                committed,
                readStates,
                messagesMayLeaveBeforePersist(hs, leader, realCandidate));
        messages = new ArrayList<>();
        readStates = new ArrayList<>();
        return ready;
    }

    /**
     * Whether this Ready's messages promise nothing it persists, so they may leave while it is
     * written. A leader grants and acknowledges nothing: its appends need its term and vote,
     * durable unless this Ready changes them (its own entries count only once durable, thesis
     * §10.2.1). A candidate's vote requests carry its new term and its vote for itself (§5.2),
     * which count toward its election only once durable ({@link RaftNode#advance}): if it crashed
     * before, it might vote again in that term after a restart, so it must not have won with that
     * vote. Its refusals promise nothing; it grants no vote of its term, and no pre-vote changes state.
     */
    private boolean messagesMayLeaveBeforePersist(HardState hs, boolean leader, boolean realCandidate) {
        if (leader) {
            return hs.term() == reportedHardState.term() && Objects.equals(hs.votedFor(), reportedHardState.votedFor());
        }
        if (!realCandidate) {
            return false;
        }
        for (Message m : messages) {
            boolean promisesNothing =
                    m instanceof VoteRequest || m instanceof VoteResponse r && (!r.granted() || r.preVote());
            if (!promisesNothing) {
                return false;
            }
        }
        return true;
    }

    /** The driver did the work of {@code ready}. */
    void done(Ready ready) {
        if (ready.hardState() != null) {
            reportedHardState = ready.hardState();
        }
        if (ready.softState() != null) {
            reportedSoftState = ready.softState();
        }
        // Identity, not equality: the snapshot this Ready handed out is done; a newer one received
        // since (another object) must still go out.
        if (ready.snapshot() != null && pendingSnapshot == ready.snapshot()) {
            pendingSnapshot = null;
        }
    }
}
