package io.raftboot.samples.scheduler.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The share of a window in which some node held the lease, from the lease-probe lines. */
class LeaseAvailabilityTest {

    private static LeaseIntervals.Line line(long nanos, String node, boolean leader) {
        return new LeaseIntervals.Line(nanos, node, 1, leader);
    }

    @Test
    void aLeaseHeldSinceBeforeTheWindowAndNeverLostCoversAllOfIt() {
        LeaseAvailability a = LeaseAvailability.of(List.of(List.of(line(0, "n1", true))), 100, 1100);

        assertThat(a.heldNanos()).isEqualTo(1000);
        assertThat(a.holes()).isZero();
        assertThat(a.losses()).isZero();
    }

    @Test
    void aLossInsideTheWindowIsAHoleUntilSomeNodeHoldsItAgain() {
        LeaseAvailability a = LeaseAvailability.of(
                List.of(
                        List.of(line(0, "n1", true), line(300, "n1", false)),
                        List.of(line(0, "n2", false), line(500, "n2", true))),
                100,
                1100);

        assertThat(a.heldNanos()).isEqualTo(800);
        assertThat(a.holes()).isEqualTo(1);
        assertThat(a.losses()).isEqualTo(1);
    }

    @Test
    void aWindowWithoutAnyTrueLineHasNoHolderAtAll() {
        LeaseAvailability a = LeaseAvailability.of(List.of(List.of(line(0, "n1", false))), 100, 1100);

        assertThat(a.heldNanos()).isZero();
        assertThat(a.holes()).isEqualTo(1);
        assertThat(a.unheldMillis()).isZero(); // 1000 ns, less than a millisecond
    }
}
