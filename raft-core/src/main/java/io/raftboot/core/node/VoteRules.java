package io.raftboot.core.node;

import io.raftboot.core.log.RaftLog;
import io.raftboot.core.message.VoteRequest;

/** How a voter decides a vote request, given its term, its vote and the leader it follows. */
final class VoteRules {

    private final String self;
    private final Configurations configs;
    private final RaftLog log;
    private final Stickiness stickiness;

    VoteRules(String self, Configurations configs, RaftLog log, Stickiness stickiness) {
        this.self = self;
        this.configs = configs;
        this.log = log;
        this.stickiness = stickiness;
    }

    /**
     * Figure 2, RequestVote receiver: one vote per term (§5.2), only for a log at least as up to
     * date as ours (§5.4.1), none while sticky to a live leader unless the leader itself asked
     * for the election (transfer). Whoever asks gets an answer, whatever this node's own
     * configuration says of either of them (thesis §4.1): the candidate counts only the votes of
     * the voters of its configuration, which may be newer or older than ours (a learner asked for
     * its vote may be a voter in the candidate's log already). Refusing there could leave no
     * majority able to elect anyone. A removed server cannot disrupt the cluster this way: a voter
     * that hears a leader refuses every candidate for an election timeout (§4.2.3).
     */
    VoteDecision decide(VoteRequest m, long term, String votedFor, String leaderId) {
        boolean canVote =
                m.from().equals(votedFor) || (votedFor == null && leaderId == null) || (m.preVote() && m.term() > term);
        if (!canVote) {
            return VoteDecision.refused(
                    votedFor != null ? "already voted for " + votedFor : "following leader " + leaderId);
        }
        if (!log.isUpToDate(m.lastLogIndex(), m.lastLogTerm())) {
            return VoteDecision.refused("its log (last term " + m.lastLogTerm() + ", index " + m.lastLogIndex()
                    + ") is behind ours (last term " + log.lastTerm() + ", index " + log.lastIndex() + ")");
        }
        if (!m.transfer()
                && stickiness.refusesCandidates()
                && !(m.term() == term && m.from().equals(votedFor))) {
            return VoteDecision.refused("a leader was heard within an election timeout");
        }
        return VoteDecision.GRANTED;
    }
}
