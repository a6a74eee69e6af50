package io.raftboot.core.message;

import io.raftboot.core.node.RoleCandidacy;
import java.util.Objects;

/**
 * Reply to {@link AppendEntries}.
 *
 * @param success the consistency check passed and the entries are durable on the sender
 * @param matchIndex on success: the last index the sender's log is known to share with the
 *     leader's; on rejection: the {@code prevLogIndex} that was rejected
 * @param rejectHintIndex on rejection: the index from which the leader should retry (fast
 *     backtracking, §5.3 "the follower can include the term of the conflicting entry and the
 *     first index it stores for that term")
 * @param rejectHintTerm on rejection: the term of the sender's entry at {@code rejectHintIndex},
 *     or 0 if its log is shorter
 * @param readSeq echo of the request's {@code readSeq}
 * @param probe the sender's clock reading as it sent this response (opaque to the leader, which
 *     echoes it in {@link AppendEntries#probeEcho()}), or 0 when it offers to hold no role now
 * @param candidacy the roles the sender offers to hold (issue 16)
 */
public record AppendResponse(
        String from,
        String to,
        long term,
        boolean success,
        long matchIndex,
        long rejectHintIndex,
        long rejectHintTerm,
        long readSeq,
        long probe,
        RoleCandidacy candidacy)
        implements Message {

    public AppendResponse {
        Objects.requireNonNull(candidacy, "candidacy");
    }

    /** Without roles: no probe, no candidacy. */
    public AppendResponse(
            String from,
            String to,
            long term,
            boolean success,
            long matchIndex,
            long rejectHintIndex,
            long rejectHintTerm,
            long readSeq) {
        this(from, to, term, success, matchIndex, rejectHintIndex, rejectHintTerm, readSeq, 0, RoleCandidacy.NONE);
    }

    /** The same response carrying the sender's probe and candidacy. */
    public AppendResponse withRoles(long nextProbe, RoleCandidacy offered) {
        return new AppendResponse(
                from, to, term, success, matchIndex, rejectHintIndex, rejectHintTerm, readSeq, nextProbe, offered);
    }
}
