package io.raftboot.core.node;

/**
 * The answer to a vote request and, when refused, why (logged at DEBUG): one place that says
 * which rule of RequestVote (Figure 2, §5.2, §5.4.1) or of stickiness (thesis §4.2.3, §9.6)
 * decided it.
 */
record VoteDecision(boolean granted, String refusal) {

    static final VoteDecision GRANTED = new VoteDecision(true, null);

    static VoteDecision refused(String why) {
        return new VoteDecision(false, why);
    }
}
