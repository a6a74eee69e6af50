package io.raftboot.core.client;

import io.raftboot.core.loop.LeadershipLostException;
import io.raftboot.core.loop.RaftLoopStoppedException;
import io.raftboot.core.node.NotLeaderException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * Reads a failed {@code RaftLoop.propose} or {@code readIndex} as a {@link ForwardOutcome}: the
 * one place that decides whether a failure leaves the command's fate open. Anything it does not
 * know is outcome-unknown: guessing "not applied" is how writes get applied twice.
 */
public final class ProposalOutcomes {

    private ProposalOutcomes() {}

    public static ForwardOutcome ofFailure(Throwable failure) {
        Throwable e = unwrap(failure);
        String reason = String.valueOf(e.getMessage() != null ? e.getMessage() : e);
        if (e instanceof NotLeaderException notLeader) {
            return new ForwardOutcome.NotLeader(notLeader.leaderHint(), reason);
        }
        if (e instanceof LeadershipLostException lost) {
            return lost.outcomeUnknown()
                    ? new ForwardOutcome.OutcomeUnknown(reason)
                    : new ForwardOutcome.NotLeader(null, reason);
        }
        if (e instanceof RejectedExecutionException) {
            return new ForwardOutcome.Overloaded(reason);
        }
        if (e instanceof RaftLoopStoppedException stopped) {
            return stopped.outcomeUnknown()
                    ? new ForwardOutcome.OutcomeUnknown(reason)
                    : new ForwardOutcome.Stopped(reason);
        }
        return new ForwardOutcome.OutcomeUnknown(reason);
    }

    /** The cause inside {@link CompletionException} and {@link ExecutionException} wrappers. */
    public static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
