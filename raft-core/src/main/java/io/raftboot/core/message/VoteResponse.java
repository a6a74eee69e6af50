package io.raftboot.core.message;

/** Reply to a {@link VoteRequest}; {@code preVote} echoes the request's flag. */
public record VoteResponse(String from, String to, long term, boolean granted, boolean preVote)
        implements Message {
}
