package io.raftboot.core.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.core.store.ConfigResult;
import io.raftboot.core.store.ConfigResult.Outcome;
import org.junit.jupiter.api.Test;

/** The write path's rules, as the starter's writer and the simulation's clients both follow them. */
class WriteFateTest {

    private final WriteFate fate = new WriteFate();

    private static ForwardOutcome applied(Outcome outcome) {
        return new ForwardOutcome.Applied(new ConfigResult(outcome, "k", 0, 1, 1, 1));
    }

    @Test
    void everyOutcomeButARefusalIsRetriedWithTheSameNumber() {
        assertThat(fate.onOutcome(new ForwardOutcome.NotLeader("n2", "not leader")))
                .isInstanceOf(WriteFate.Retry.class);
        assertThat(fate.onOutcome(new ForwardOutcome.Overloaded("full"))).isInstanceOf(WriteFate.Retry.class);
        assertThat(fate.onOutcome(new ForwardOutcome.OutcomeUnknown("lost"))).isInstanceOf(WriteFate.Retry.class);
        assertThat(fate.onOutcome(applied(Outcome.APPLIED))).isInstanceOf(WriteFate.Answered.class);
    }

    @Test
    void givingUpIsSurelyNotAppliedOnlyWhileNoAttemptCanHaveReachedALog() {
        fate.onOutcome(new ForwardOutcome.NotLeader(null, "no leader"));
        fate.onOutcome(new ForwardOutcome.Stopped("stopping"));
        assertThat(fate.onDeadline().outcomeUnknown()).isFalse();

        fate.onOutcome(new ForwardOutcome.OutcomeUnknown("the leader stepped down after proposing"));
        fate.onOutcome(new ForwardOutcome.NotLeader(null, "no leader"));
        assertThat(fate.onDeadline().outcomeUnknown()).isTrue();
        assertThat(fate.onOutcome(new ForwardOutcome.Rejected("too large")))
                .isEqualTo(new WriteFate.Refused(true, "too large"));
    }

    @Test
    void anExpiredSessionIsRenumberedOnlyIfNoAttemptCanHaveApplied() {
        assertThat(fate.onOutcome(applied(Outcome.SESSION_EXPIRED))).isInstanceOf(WriteFate.Renumber.class);

        fate.onOutcome(new ForwardOutcome.OutcomeUnknown("lost"));
        WriteFate.Decision afterUnknown = fate.onOutcome(applied(Outcome.SESSION_EXPIRED));
        assertThat(afterUnknown).isInstanceOf(WriteFate.GiveUp.class);
        assertThat(((WriteFate.GiveUp) afterUnknown).outcomeUnknown()).isTrue();
    }

    @Test
    void aForgottenResultIsAnUnknownOutcome() {
        WriteFate.Decision stale = fate.onOutcome(applied(Outcome.STALE_REQUEST));

        assertThat(stale).isInstanceOf(WriteFate.GiveUp.class);
        assertThat(((WriteFate.GiveUp) stale).outcomeUnknown()).isTrue();
    }

    @Test
    void aCutOffNodeGivesUpAtOnceSayingWhetherAnAttemptMayHaveReachedALog() {
        assertThat(fate.onCutOff("no leader for 1500 ms").outcomeUnknown()).isFalse();

        fate.onOutcome(new ForwardOutcome.OutcomeUnknown("the leader changed"));

        WriteFate.GiveUp later = fate.onCutOff("no leader for 1600 ms");
        assertThat(later.outcomeUnknown()).isTrue();
        assertThat(later.reason()).isEqualTo("no leader for 1600 ms");
        assertThat(fate.lastProblem()).isEqualTo("no leader for 1600 ms");
    }
}
