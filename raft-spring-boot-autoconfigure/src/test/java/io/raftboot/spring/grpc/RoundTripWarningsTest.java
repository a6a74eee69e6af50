package io.raftboot.spring.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.spring.grpc.RoundTripWarnings.Decision;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** With the defaults: warn above a 150 ms smoothed round trip, clear below 120 ms. */
class RoundTripWarningsTest {

    private static final double MS = 1e6;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RoundTripWarnings warnings = new RoundTripWarnings(
            RoundTripEnvelope.of(RoundTripEnvelopeTest.settings(Duration.ofMillis(10), 30, 5)), now::get);

    @Test
    void aRoundTripWithinTheEnvelopeIsNotLogged() {
        assertThat(warnings.observe("n2", 2 * MS)).isEqualTo(Decision.NONE);
        assertThat(warnings.observe("n2", 150 * MS)).isEqualTo(Decision.NONE);
        assertThat(warnings.observe("n2", Double.NaN)).isEqualTo(Decision.NONE);
    }

    @Test
    void aRoundTripAboveTheThresholdWarnsOnceAndAgainOnlyAfterAMinute() {
        assertThat(warnings.observe("n2", 151 * MS)).isEqualTo(Decision.WARN);
        warnings.logged("n2");

        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(warnings.observe("n2", 180 * MS)).isEqualTo(Decision.NONE);
        assertThat(warnings.observe("n2", 190 * MS)).isEqualTo(Decision.NONE);
        assertThat(warnings.suppressed("n2")).isEqualTo(2);

        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(warnings.observe("n2", 180 * MS)).isEqualTo(Decision.WARN);
    }

    @Test
    void theWarningClearsOnlyBelowTheClearingLevelAndOnce() {
        warnings.observe("n2", 160 * MS);

        assertThat(warnings.observe("n2", 130 * MS))
                .as("between 120 and 150 ms")
                .isEqualTo(Decision.NONE);
        assertThat(warnings.observe("n2", 119 * MS)).isEqualTo(Decision.CLEARED);
        assertThat(warnings.observe("n2", 100 * MS)).isEqualTo(Decision.NONE);
    }

    @Test
    void aRoundTripThatRisesAgainAfterClearingWarnsAtOnce() {
        warnings.observe("n2", 160 * MS);
        warnings.observe("n2", 100 * MS);

        assertThat(warnings.observe("n2", 160 * MS)).isEqualTo(Decision.WARN);
    }

    @Test
    void eachPeerIsWarnedAboutOnItsOwn() {
        assertThat(warnings.observe("n2", 200 * MS)).isEqualTo(Decision.WARN);
        assertThat(warnings.observe("n3", 200 * MS)).isEqualTo(Decision.WARN);
        assertThat(warnings.observe("n2", 200 * MS)).isEqualTo(Decision.NONE);
    }
}
