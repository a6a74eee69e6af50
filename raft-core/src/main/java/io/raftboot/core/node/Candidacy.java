package io.raftboot.core.node;

/**
 * A candidate's state for one campaign phase, created when it starts a pre-vote or an election
 * and dropped when it wins, loses or hears a leader: the phase, the votes, and the longest
 * stickiness promise (thesis §9.6) its voters broke to elect it, which the leader's lease must
 * wait out ({@link Lease}).
 */
final class Candidacy {

    private final boolean preVote;
    private final VoteTally tally = new VoteTally();
    private long brokenPromiseTicks;

    /**
     * @param preVote a pre-vote (thesis §9.6): asks whether we could win and changes no state
     * @param ownBrokenPromise ticks this node still owes the leader it last heard (0 in a
     *     transfer, whose leader forfeited its lease when it sent TimeoutNow)
     */
    Candidacy(boolean preVote, long ownBrokenPromise) {
        this.preVote = preVote;
        this.brokenPromiseTicks = ownBrokenPromise;
    }

    boolean isPreVote() {
        return preVote;
    }

    boolean hasVoted(String voter) {
        return tally.hasVoted(voter);
    }

    /** Counts a vote; a voter that granted a real vote may have broken a promise of {@code promiseTicks}. */
    VoteTally.Result record(String voter, boolean granted, long promiseTicks, int quorum) {
        if (granted && !preVote) {
            brokenPromiseTicks = Math.max(brokenPromiseTicks, promiseTicks);
        }
        return tally.record(voter, granted, quorum);
    }

    long brokenPromiseTicks() {
        return brokenPromiseTicks;
    }
}
