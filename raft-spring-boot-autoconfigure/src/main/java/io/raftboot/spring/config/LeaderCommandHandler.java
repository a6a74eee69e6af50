package io.raftboot.spring.config;

import io.raftboot.core.client.ForwardOutcome;
import io.raftboot.core.client.ProposalOutcomes;
import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.store.ConfigResult;
import io.raftboot.core.store.ConfigStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The leader's side of a forwarded command, whatever transport brought it: a write is checked
 * against this node's limits (its own key limit stamped in), proposed, and answered once applied
 * here with the store's result; a read-index request is answered with a read index a quorum
 * confirmed (Raft thesis §6.4). Every failure is answered as the {@link ForwardOutcome} it means,
 * never as an exception.
 */
public class LeaderCommandHandler {

    private final RaftLoop loop;
    private final ConfigStore store;
    private final Duration writeTimeout;

    public LeaderCommandHandler(RaftLoop loop, ConfigStore store, Duration writeTimeout) {
        this.loop = loop;
        this.store = store;
        this.writeTimeout = writeTimeout;
    }

    /** Proposes {@code command} (as a follower encoded it) and answers once it is applied here. */
    public CompletableFuture<ForwardOutcome> write(byte[] command, Duration timeout) {
        byte[] stamped;
        try {
            // Re-encoded here: the leader's own limits decide, whatever the sender wrote.
            stamped = store.reencode(command);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new ForwardOutcome.Rejected(e.getMessage()));
        }
        return propose(stamped, timeout);
    }

    /**
     * Proposes a command this node encoded itself with its own limits ({@code ConfigStore.encode}),
     * so without decoding and encoding it again, and answers once it is applied here.
     */
    CompletableFuture<ForwardOutcome> propose(byte[] stamped, Duration timeout) {
        return loop.propose(stamped)
                .orTimeout(bounded(timeout), TimeUnit.MILLISECONDS)
                .handle((result, error) -> error == null
                        ? new ForwardOutcome.Applied((ConfigResult) result)
                        : ProposalOutcomes.ofFailure(error));
    }

    /** A read index a quorum confirmed, once this node applied up to it. */
    public CompletableFuture<ForwardOutcome> readIndex(Duration timeout) {
        return loop.readIndex()
                .orTimeout(bounded(timeout), TimeUnit.MILLISECONDS)
                .handle((index, error) ->
                        error == null ? new ForwardOutcome.ReadIndex(index) : ProposalOutcomes.ofFailure(error));
    }

    /** The sender's deadline, at most this node's own {@code raft.write-timeout}. */
    private long bounded(Duration timeout) {
        long asked = timeout == null || timeout.isZero() || timeout.isNegative() ? Long.MAX_VALUE : timeout.toMillis();
        return Math.max(1, Math.min(writeTimeout.toMillis(), asked));
    }
}
