package io.raftboot.spring.grpc;

import io.raftboot.core.node.Membership;
import io.raftboot.proto.ForwardKind;
import io.raftboot.proto.ForwardRequest;
import io.raftboot.proto.HBeat;
import io.raftboot.proto.InstallSnapshotRequest;
import io.raftboot.proto.JoinRequest;
import io.raftboot.proto.LogEntry;
import io.raftboot.proto.ReqVote;
import io.raftboot.proto.TimeoutNowRequest;
import io.raftboot.spring.cluster.PeerAddress;

/**
 * Structural checks of a request from an admitted member, before it reaches the Raft core: the
 * core trusts its peers to follow the protocol, so anything no correct peer can send is refused
 * here ({@code INVALID_ARGUMENT}) instead of confusing the log. Each method returns what is
 * wrong, or {@code null}.
 *
 * <ul>
 *   <li>terms and indexes are in [0, {@link #MAX_TERM}] (2^62: a term can then never overflow
 *       when a node increments it);</li>
 *   <li>the receiver is named;</li>
 *   <li>AppendEntries: at most {@link #MAX_ENTRIES} entries, numbered prev_log_index + 1, + 2,
 *       ... with terms that never decrease, not below prev_log_term and not above the request's
 *       term; prev_log_term not above the term;</li>
 *   <li>RequestVote: the candidate's last log term not above its term;</li>
 *   <li>InstallSnapshot: last included term not above the term; voters not empty; every voter
 *       and learner a member of raft.peers;</li>
 *   <li>Forward: a known kind.</li>
 * </ul>
 */
final class InboundChecks {

    /** Largest term or index accepted. */
    static final long MAX_TERM = 1L << 62;
    /** Most log entries accepted in one AppendEntries (this implementation sends at most 64). */
    static final int MAX_ENTRIES = 1024;

    private InboundChecks() {}

    static String check(HBeat m) {
        String p = common(m.getTerm(), m.getTo());
        if (p != null) {
            return p;
        }
        p = range("prev_log_index", m.getPrevLogIndex());
        if (p == null) {
            p = range("prev_log_term", m.getPrevLogTerm());
        }
        if (p == null) {
            p = range("leader_commit", m.getLeaderCommit());
        }
        if (p != null) {
            return p;
        }
        if (m.getReadSeq() < 0) {
            return "read_seq " + m.getReadSeq() + " is negative";
        }
        if (m.getPrevLogTerm() > m.getTerm()) {
            return "prev_log_term " + m.getPrevLogTerm() + " is above the leader's term " + m.getTerm();
        }
        int n = m.getEntriesCount();
        if (n > MAX_ENTRIES) {
            return n + " entries, more than the limit of " + MAX_ENTRIES + " per AppendEntries";
        }
        long previousTerm = m.getPrevLogTerm();
        for (int i = 0; i < n; i++) {
            LogEntry e = m.getEntries(i);
            long expected = m.getPrevLogIndex() + 1 + i;
            if (e.getIndex() != expected) {
                return "entry " + i + " has index " + e.getIndex() + ", expected " + expected
                        + " (entries must follow prev_log_index without gaps)";
            }
            if (e.getTerm() < previousTerm || e.getTerm() > m.getTerm()) {
                return "entry " + e.getIndex() + " has term " + e.getTerm() + ", outside [" + previousTerm + ", "
                        + m.getTerm() + "] (entry terms never decrease and never exceed the leader's term)";
            }
            if (e.getType() == io.raftboot.proto.EntryType.UNRECOGNIZED) {
                return "entry " + e.getIndex() + " has unknown type " + e.getTypeValue();
            }
            if (e.getType() == io.raftboot.proto.EntryType.MEMBERSHIP) {
                // Decoded here, not first on the Raft loop thread, where bad bytes would halt the node.
                try {
                    io.raftboot.core.node.MembershipCodec.decode(e.getData().toByteArray());
                } catch (IllegalArgumentException bad) {
                    return "entry " + e.getIndex() + " is a membership this node cannot read: " + bad.getMessage();
                }
            }
            previousTerm = e.getTerm();
        }
        if (m.getPrevLogIndex() + n > MAX_TERM) {
            return "the entries end beyond index " + MAX_TERM;
        }
        return null;
    }

    static String check(ReqVote m) {
        String p = common(m.getTerm(), m.getTo());
        if (p == null) {
            p = range("last_log_index", m.getLastLogIndex());
        }
        if (p == null) {
            p = range("last_term", m.getLastTerm());
        }
        if (p == null && m.getLastTerm() > m.getTerm()) {
            p = "last_term " + m.getLastTerm() + " is above the candidate's term " + m.getTerm();
        }
        return p;
    }

    static String check(TimeoutNowRequest m) {
        return common(m.getTerm(), m.getTo());
    }

    static String check(InstallSnapshotRequest m) {
        String p = common(m.getTerm(), m.getTo());
        if (p == null) {
            p = range("last_included_index", m.getLastIncludedIndex());
        }
        if (p == null) {
            p = range("last_included_term", m.getLastIncludedTerm());
        }
        if (p != null) {
            return p;
        }
        if (m.getLastIncludedTerm() > m.getTerm()) {
            return "last_included_term " + m.getLastIncludedTerm() + " is above the leader's term " + m.getTerm();
        }
        if (m.getVotersCount() == 0) {
            return "the snapshot has no voters";
        }
        // Its members are those of the leader's log, not raft.peers: members change at runtime.
        // Built here, as the mapper will, so that lists that are no membership (an id both voter
        // and learner) are refused with a reason rather than failing the handler.
        try {
            MessageMapper.membership(m);
        } catch (IllegalArgumentException bad) {
            return "the snapshot's membership is invalid: " + bad.getMessage();
        }
        return null;
    }

    static String check(ForwardRequest m) {
        if (m.getKind() == ForwardKind.UNRECOGNIZED) {
            return "unknown forward kind " + m.getKindValue();
        }
        return null;
    }

    static String check(JoinRequest m) {
        // Ids and addresses become log entries: Membership's limits, checked before the loop sees them.
        if (m.getFrom().isEmpty() || m.getFrom().length() > Membership.MAX_ID_CHARS) {
            return "the joiner's id must have 1 to " + Membership.MAX_ID_CHARS + " characters";
        }
        try {
            PeerAddress.parse(m.getAddress());
        } catch (IllegalArgumentException e) {
            return "the joiner's address: " + e.getMessage();
        }
        return null;
    }

    private static String common(long term, String to) {
        if (to.isEmpty()) {
            return "the request names no receiver ('to')";
        }
        return range("term", term);
    }

    private static String range(String field, long value) {
        if (value < 0 || value > MAX_TERM) {
            return field + " " + value + " is outside [0, 2^62]";
        }
        return null;
    }
}
