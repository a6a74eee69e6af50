package io.raftboot.core.message;

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
 */
public record AppendResponse(
        String from,
        String to,
        long term,
        boolean success,
        long matchIndex,
        long rejectHintIndex,
        long rejectHintTerm,
        long readSeq)
        implements Message {}
