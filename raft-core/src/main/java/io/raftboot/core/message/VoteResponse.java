package io.raftboot.core.message;

/**
 * Reply to a {@link VoteRequest}; {@code preVote} echoes the request's flag.
 *
 * @param promiseTicks for a granted vote: ticks of the voter's own clock for which it had still
 *     promised the previous leader not to vote (leader stickiness), broken early because it saw
 *     that leader's process go away (crash-fast detection). The new leader claims no lease until
 *     that promise would have run out, so a leader that is in fact alive loses its lease first.
 *     0 for a vote granted after the election timeout, as in plain Raft.
 */
public record VoteResponse(String from, String to, long term, boolean granted, boolean preVote, long promiseTicks)
        implements Message {

    public VoteResponse {
        if (promiseTicks < 0) {
            throw new IllegalArgumentException("promiseTicks must be >= 0, got " + promiseTicks);
        }
    }

    /** A reply that breaks no promise to a previous leader. */
    public VoteResponse(String from, String to, long term, boolean granted, boolean preVote) {
        this(from, to, term, granted, preVote, 0);
    }
}
