package io.raftboot.core.message;

import io.raftboot.core.log.LogEntry;
import java.util.List;

/**
 * AppendEntries (Raft paper, Figure 2); with no entries it is the heartbeat.
 *
 * @param prevLogIndex index of the entry immediately preceding {@code entries}
 * @param prevLogTerm term of that entry (the consistency check, §5.3)
 * @param leaderCommit the leader's commit index, so followers learn commitment (§5.3)
 * @param readSeq the leader's heartbeat sequence number at send time; echoed in the response
 *     so the leader can confirm ReadIndex requests and extend its lease (thesis §6.4)
 */
public record AppendEntries(
        String from,
        String to,
        long term,
        long prevLogIndex,
        long prevLogTerm,
        List<LogEntry> entries,
        long leaderCommit,
        long readSeq)
        implements Message {

    public AppendEntries {
        entries = List.copyOf(entries);
    }

    /** Index of the last entry carried, or {@code prevLogIndex} for a heartbeat. */
    public long lastIndex() {
        return prevLogIndex + entries.size();
    }
}
