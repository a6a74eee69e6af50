package io.raftboot.core.node;

import io.raftboot.core.log.RaftLog;
import io.raftboot.core.message.TimeoutNow;
import io.raftboot.core.message.VoteRequest;
import io.raftboot.core.message.VoteResponse;
import java.lang.System.Logger.Level;

/**
 * The election rules of one node, both sides: campaigning (a pre-vote, thesis §9.6, then an
 * election, §5.2, or at once on TimeoutNow, §3.10) and counting the answers; and answering
 * others' requests ({@link VoteRules} decides, this class records the vote and replies).
 * {@link RaftNode} keeps the state they change: term, vote, role.
 */
final class Elections {

    private static final System.Logger LOG = System.getLogger(RaftNode.class.getName());

    private final RaftNode node;
    private final Configurations configs;
    private final RaftLog log;
    private final LeaderLossReport lossReport;
    private final Stickiness stickiness;
    private final VoteRules voteRules;

    Elections(
            RaftNode node,
            Configurations configs,
            RaftLog log,
            LeaderLossReport lossReport,
            Stickiness stickiness,
            VoteRules voteRules) {
        this.node = node;
        this.configs = configs;
        this.log = log;
        this.lossReport = lossReport;
        this.stickiness = stickiness;
        this.voteRules = voteRules;
    }

    void campaign(boolean preVote, boolean transfer) {
        String id = node.id();
        if (!configs.current().isVoter(id)) {
            return;
        }
        Candidacy c = new Candidacy(preVote, transfer ? 0 : stickiness.promiseTicks());
        node.becomeCandidate(c);
        long voteTerm;
        if (preVote) {
            voteTerm = node.term() + 1; // thesis §9.6: ask whether we could win, changing no state
            LOG.log(Level.INFO, "{0}: term {1}: starting pre-vote", id, node.term());
        } else {
            // §5.2: increment term, vote for self; Ready persists both before the requests leave.
            node.startTerm();
            voteTerm = node.term();
            LOG.log(
                    Level.INFO,
                    "{0}: term {1}: starting election{2}",
                    id,
                    node.term(),
                    transfer ? " (leadership transfer)" : "");
        }
        for (String peer : configs.current().voters()) {
            if (!peer.equals(id)) {
                node.send(new VoteRequest(id, peer, voteTerm, log.lastIndex(), log.lastTerm(), preVote, transfer));
            }
        }
        if (preVote) {
            countVote(c, id, true, 0); // a pre-vote changes nothing, so our own counts at once
        }
        // A real election's own vote counts once the Ready that persists it is advanced.
    }

    void onVoteRequest(VoteRequest m) {
        String id = node.id();
        long term = node.term();
        VoteDecision decision = voteRules.decide(m, term, node.votedFor(), node.leaderId());
        long promise = 0;
        if (decision.granted() && m.preVote()) {
            // Two voters that start pre-votes within one round trip of each other both win them
            // and then split the real vote (after a frozen leader: 1 of 30 benchmark runs took an
            // extra election, ~1 s); survivors of a crash-fast report overlap more often. Granting
            // a better-ranked (lower id, the lost leader aside) pre-candidate's pre-vote, give way
            // to it: drop our own early campaign and our own pre-vote. Timers only: no safety change.
            lossReport.cancelCampaign();
            Candidacy own = node.candidacy();
            if (own != null && own.isPreVote() && lossReport.rank(m.from()) < lossReport.rank(id)) {
                node.becomeFollower(term, null);
            }
        }
        if (decision.granted() && !m.preVote()) {
            node.recordVote(m.from());
            // A transfer candidate's leader forfeited its lease when it sent TimeoutNow.
            promise = m.transfer() ? 0 : stickiness.promiseTicks();
        }
        if (!decision.granted()) {
            LOG.log(
                    Level.DEBUG,
                    "{0}: term {1}: refusing {2} of term {3} from {4}: {5}",
                    id,
                    term,
                    m.preVote() ? "pre-vote" : "vote",
                    m.term(),
                    m.from(),
                    decision.refusal());
        }
        boolean granted = decision.granted();
        node.send(new VoteResponse(
                id, m.from(), granted && m.preVote() ? m.term() : term, granted, m.preVote(), promise));
    }

    void onVoteResponse(VoteResponse m) {
        Candidacy c = node.candidacy();
        if (m.preVote() != c.isPreVote() || !configs.current().isVoter(m.from())) {
            return;
        }
        if (c.isPreVote() && m.granted() && m.term() != node.term() + 1) {
            return;
        }
        countVote(c, m.from(), m.granted(), m.promiseTicks());
    }

    void countVote(Candidacy c, String voter, boolean granted, long promiseTicks) {
        switch (c.record(voter, granted, promiseTicks, configs.current().quorum())) {
            case WON -> {
                if (c.isPreVote()) {
                    campaign(false, false);
                } else {
                    node.becomeLeader(c);
                }
            }
            case LOST -> {
                LOG.log(
                        Level.INFO,
                        "{0}: term {1}: lost the {2}",
                        node.id(),
                        node.term(),
                        c.isPreVote() ? "pre-vote" : "election");
                node.becomeFollower(node.term(), null);
            }
            case PENDING -> {}
        }
    }

    /** Thesis §3.10: the leader asks this voter to campaign at once, past stickiness. */
    void onTimeoutNow(TimeoutNow m) {
        if (!m.from().equals(node.leaderId()) || !configs.current().isVoter(node.id())) {
            return;
        }
        campaign(false, true);
    }
}
