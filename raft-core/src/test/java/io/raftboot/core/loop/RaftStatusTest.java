package io.raftboot.core.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.core.node.Role;
import java.util.List;
import org.junit.jupiter.api.Test;

class RaftStatusTest {

    private static RaftStatus status(Role role, long leaseValidUntilNanos) {
        return new RaftStatus(
                "n1",
                role,
                3,
                "n1",
                10,
                10,
                10,
                leaseValidUntilNanos,
                List.of(),
                io.raftboot.core.node.Membership.ofVoters("n1"),
                0,
                java.util.Map.of());
    }

    @Test
    void aLeaderWithoutLeaseDoesNotHoldOne() {
        RaftStatus noLease = status(Role.LEADER, Long.MIN_VALUE);

        assertThat(noLease.holdsLease()).isFalse();
        assertThat(noLease.leaseValidForMillis()).isZero();
    }

    @Test
    void aLeaderHoldsItsLeaseUntilItRunsOut() {
        RaftStatus valid = status(Role.LEADER, System.nanoTime() + 60_000_000_000L);
        RaftStatus expired = status(Role.LEADER, System.nanoTime() - 1);

        assertThat(valid.holdsLease()).isTrue();
        assertThat(valid.leaseValidForMillis()).isBetween(1L, 60_000L);
        assertThat(expired.holdsLease()).isFalse();
        assertThat(expired.leaseValidForMillis()).isZero();
    }

    @Test
    void aFollowerNeverHoldsTheLease() {
        RaftStatus follower = status(Role.FOLLOWER, System.nanoTime() + 60_000_000_000L);

        assertThat(follower.holdsLease()).isFalse();
        assertThat(follower.leaseValidForMillis()).isZero();
    }
}
