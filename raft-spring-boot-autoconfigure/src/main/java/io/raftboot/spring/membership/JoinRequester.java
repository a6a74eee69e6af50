package io.raftboot.spring.membership;

import java.util.concurrent.CompletableFuture;

/** Asks one member to add this node (the transport's part of {@link AutoJoin}). */
public interface JoinRequester extends AutoCloseable {

    /**
     * @param memberId a member this node knows the address of
     * @return the answer; a call that failed completes with {@link JoinOutcome.Retry} (could not
     *     reach it) or {@link JoinOutcome.Refused} (it refused the request), never exceptionally
     */
    CompletableFuture<JoinOutcome> requestJoin(String memberId);

    @Override
    void close();
}
