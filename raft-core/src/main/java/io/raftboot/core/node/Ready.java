package io.raftboot.core.node;

import io.raftboot.core.log.LogEntry;
import io.raftboot.core.message.Message;
import io.raftboot.core.storage.HardState;
import io.raftboot.core.storage.Snapshot;
import java.util.List;

/**
 * Work the caller of {@link RaftNode} must do, in this order:
 * <ol>
 *   <li>persist {@code snapshot} (if not null), then {@code entries}, then {@code hardState}
 *       (if not null), each durably;</li>
 *   <li>restore the state machine from {@code snapshot} if not null;</li>
 *   <li>send {@code messages} (only now: a vote or an append acknowledgement must not leave
 *       before what it promises is on disk, Raft paper §5.1 / Figure 2) — or, if
 *       {@code sendBeforePersist}, before step 1;</li>
 *   <li>apply {@code committedEntries} in order, and serve {@code readStates};</li>
 *   <li>call {@link RaftNode#advance(Ready)}.</li>
 * </ol>
 *
 * @param softState role, term or leader after this step, or {@code null} if unchanged
 * @param sendBeforePersist the messages promise nothing that this Ready persists, so they may
 *     leave before (or while) it is written: a leader's appends, whose term and vote are already
 *     durable, while it writes the same entries to its own disk (Raft thesis §10.2.1; its own
 *     entries count toward a commit only once durable); a candidate's vote requests, refusals
 *     and granted pre-votes while it writes its new term and its vote for itself (§5.2; that
 *     vote counts toward its election only once durable)
 */
public record Ready(
        SoftState softState,
        HardState hardState,
        Snapshot snapshot,
        List<LogEntry> entries,
        List<Message> messages,
        List<LogEntry> committedEntries,
        List<ReadState> readStates,
        boolean sendBeforePersist) {

    public boolean isEmpty() {
        return softState == null
                && hardState == null
                && snapshot == null
                && entries.isEmpty()
                && messages.isEmpty()
                && committedEntries.isEmpty()
                && readStates.isEmpty();
    }

    /** Whether anything must be made durable before the messages may be sent. */
    public boolean mustPersist() {
        return hardState != null || snapshot != null || !entries.isEmpty();
    }
}
