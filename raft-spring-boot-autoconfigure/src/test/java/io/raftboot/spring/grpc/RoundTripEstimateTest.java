package io.raftboot.spring.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RoundTripEstimateTest {

    private static final long MS = 1_000_000L;

    @Test
    void hasNoEstimateBeforeTheFirstSampleAndTakesTheFirstAsItIs() {
        RoundTripEstimate estimate = new RoundTripEstimate();
        assertThat(estimate.smoothedNanos()).isNaN();

        estimate.add(40 * MS);

        assertThat(estimate.smoothedNanos()).isEqualTo(40.0 * MS);
    }

    @Test
    void oneLateReplyMovesTheEstimateByAnEighthOfTheDifference() {
        RoundTripEstimate estimate = new RoundTripEstimate();
        estimate.add(10 * MS);

        estimate.add(170 * MS);

        assertThat(estimate.smoothedNanos()).isCloseTo(30.0 * MS, within(1.0));
    }

    @Test
    void aStepInTheRoundTripShowsThreeQuartersOfItsSizeAfterElevenHeartbeats() {
        RoundTripEstimate estimate = new RoundTripEstimate();
        estimate.add(0);
        for (int i = 0; i < 10; i++) {
            estimate.add(200 * MS);
        }
        assertThat(estimate.smoothedNanos()).isLessThan(150.0 * MS);

        estimate.add(200 * MS);

        assertThat(estimate.smoothedNanos()).isGreaterThan(150.0 * MS).isLessThan(200.0 * MS);
    }

    @Test
    void aNegativeSampleIsIgnored() {
        RoundTripEstimate estimate = new RoundTripEstimate();
        estimate.add(20 * MS);

        estimate.add(-1);

        assertThat(estimate.smoothedNanos()).isEqualTo(20.0 * MS);
    }
}
