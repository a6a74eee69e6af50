package io.raftboot.core.message;

import io.raftboot.core.log.LogEntry;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * AppendEntries (Raft paper, Figure 2); with no entries it is the heartbeat.
 *
 * @param prevLogIndex index of the entry immediately preceding {@code entries}
 * @param prevLogTerm term of that entry (the consistency check, §5.3)
 * @param leaderCommit the leader's commit index, so followers learn commitment (§5.3)
 * @param readSeq the leader's heartbeat sequence number at send time; echoed in the response
 *     so the leader can confirm ReadIndex requests and extend its lease (thesis §6.4)
 * @param probeEcho the latest {@link AppendResponse#probe()} the leader received from the
 *     recipient, or 0; with {@code roles} it is the recipient's proof that it holds them (issue 16)
 * @param roles the roles the leader confirms the recipient holds (role to token); sent only while
 *     the leader's lease holds, so the echo proves the leader still led after the probe left
 */
public record AppendEntries(
        String from,
        String to,
        long term,
        long prevLogIndex,
        long prevLogTerm,
        List<LogEntry> entries,
        long leaderCommit,
        long readSeq,
        long probeEcho,
        Map<String, Long> roles)
        implements Message {

    public AppendEntries {
        entries = List.copyOf(entries);
        roles = roles.isEmpty() ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(roles));
    }

    /** Without a role echo. */
    public AppendEntries(
            String from,
            String to,
            long term,
            long prevLogIndex,
            long prevLogTerm,
            List<LogEntry> entries,
            long leaderCommit,
            long readSeq) {
        this(from, to, term, prevLogIndex, prevLogTerm, entries, leaderCommit, readSeq, 0, Map.of());
    }

    /** The same message carrying a role echo. */
    public AppendEntries withRoleEcho(long echo, Map<String, Long> confirmed) {
        return new AppendEntries(
                from, to, term, prevLogIndex, prevLogTerm, entries, leaderCommit, readSeq, echo, confirmed);
    }

    /** Index of the last entry carried, or {@code prevLogIndex} for a heartbeat. */
    public long lastIndex() {
        return prevLogIndex + entries.size();
    }
}
