package io.raftboot.core.node;

import java.util.HashMap;
import java.util.Map;

/**
 * The votes of one election or pre-vote (in the manner of etcd raft's {@code quorum.VoteResult}):
 * won once a quorum granted, lost once a quorum refused, pending otherwise. One vote per voter;
 * a repeated answer replaces the earlier one.
 */
final class VoteTally {

    enum Result {
        PENDING,
        WON,
        LOST
    }

    private final Map<String, Boolean> votes = new HashMap<>();

    boolean hasVoted(String voter) {
        return votes.containsKey(voter);
    }

    Result record(String voter, boolean granted, int quorum) {
        votes.put(voter, granted);
        int grants = 0;
        for (boolean v : votes.values()) {
            if (v) {
                grants++;
            }
        }
        if (grants >= quorum) {
            return Result.WON;
        }
        return votes.size() - grants >= quorum ? Result.LOST : Result.PENDING;
    }
}
