package io.raftboot.core.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.core.loop.LeadershipLostException;
import io.raftboot.core.loop.RaftLoopStoppedException;
import io.raftboot.core.node.NotLeaderException;
import io.raftboot.core.storage.StorageException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** A failed proposal is "surely not applied" only when it surely was not; everything else leaves its fate open. */
class ProposalOutcomesTest {

    @Test
    void aProposalThatNeverEnteredTheLogIsSurelyNotApplied() {
        ForwardOutcome notLeader = ProposalOutcomes.ofFailure(new NotLeaderException("n1", "n2", "not leader"));
        assertThat(notLeader).isInstanceOf(ForwardOutcome.NotLeader.class);
        assertThat(((ForwardOutcome.NotLeader) notLeader).leaderHint()).isEqualTo("n2");
        assertThat(notLeader.surelyNotApplied()).isTrue();
        assertThat(ProposalOutcomes.ofFailure(new RejectedExecutionException("queue full")))
                .isInstanceOf(ForwardOutcome.Overloaded.class);
        assertThat(ProposalOutcomes.ofFailure(new RaftLoopStoppedException("not started", null)))
                .isInstanceOf(ForwardOutcome.Stopped.class);
        assertThat(ProposalOutcomes.ofFailure(new LeadershipLostException("overwritten", false)))
                .isInstanceOf(ForwardOutcome.NotLeader.class);
    }

    @Test
    void aProposalInTheLogWhenTheLoopStoppedOrHaltedMayStillCommit() {
        // Before issue #11 a compare-and-set failing like this was reported as surely failed.
        assertThat(ProposalOutcomes.ofFailure(new RaftLoopStoppedException("closed", null, true)))
                .isInstanceOf(ForwardOutcome.OutcomeUnknown.class);
        assertThat(ProposalOutcomes.ofFailure(new StorageException("disk died")))
                .isInstanceOf(ForwardOutcome.OutcomeUnknown.class);
        assertThat(ProposalOutcomes.ofFailure(new CompletionException(new TimeoutException())))
                .isInstanceOf(ForwardOutcome.OutcomeUnknown.class);
        assertThat(ProposalOutcomes.ofFailure(new LeadershipLostException("stepped down", true)))
                .isInstanceOf(ForwardOutcome.OutcomeUnknown.class);
    }

    @Test
    void aFailureItDoesNotKnowIsOutcomeUnknown() {
        ForwardOutcome outcome = ProposalOutcomes.ofFailure(new IllegalStateException("something new"));

        assertThat(outcome).isInstanceOf(ForwardOutcome.OutcomeUnknown.class);
        assertThat(outcome.surelyNotApplied()).isFalse();
    }
}
