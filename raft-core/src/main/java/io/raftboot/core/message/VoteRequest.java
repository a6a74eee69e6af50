package io.raftboot.core.message;

/**
 * RequestVote (Raft paper, Figure 2), or its pre-vote probe (Ongaro's thesis §9.6).
 *
 * @param lastLogIndex index of the candidate's last log entry (election restriction, §5.4.1)
 * @param lastLogTerm term of the candidate's last log entry
 * @param preVote a probe that changes no state on the receiver; {@code term} is the term the
 *     candidate would use
 * @param transfer the campaign was started by {@link TimeoutNow} from the current leader, so
 *     leader stickiness does not apply (thesis §3.10)
 */
public record VoteRequest(
        String from, String to, long term, long lastLogIndex, long lastLogTerm, boolean preVote, boolean transfer)
        implements Message {}
