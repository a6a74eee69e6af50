package io.raftboot.core.loop;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A lease that holds is kept as it is renewed; one that does not is published only with the grant margin left. */
class LeaseHysteresisTest {

    private static final long MS = 1_000_000;
    private static final long NONE = Long.MIN_VALUE;
    /** 250 ms lease, 50 ms heartbeats: a 100 ms grant margin. */
    private final LeaseHysteresis hysteresis = new LeaseHysteresis("n1", 250 * MS, 50 * MS);

    @Test
    void theGrantMarginIsTwoHeartbeatsButNeverMoreThanHalfTheLease() {
        assertThat(hysteresis.grantMarginNanos()).isEqualTo(100 * MS);
        assertThat(new LeaseHysteresis("n1", 80 * MS, 50 * MS).grantMarginNanos())
                .isEqualTo(40 * MS);
    }

    @Test
    void aNewLeaseWithTheMarginLeftIsPublishedAtOnce() {
        long now = 1_000 * MS;
        long raw = now + 245 * MS; // a round trip of 5 ms

        assertThat(hysteresis.publishable(1, NONE, raw, now)).isEqualTo(raw);
    }

    @Test
    void aNewLeaseWithLessThanTheMarginLeftIsNotPublished() {
        long now = 1_000 * MS;
        long raw = now + 40 * MS; // a round trip of 210 ms

        assertThat(hysteresis.publishable(1, NONE, raw, now)).isEqualTo(NONE);
    }

    @Test
    void aLeaseThatHoldsIsKeptWhenARenewalLeavesLessThanTheMargin() {
        long now = 1_000 * MS;
        long published = now + 10 * MS; // still holds
        long renewed = now + 40 * MS;

        assertThat(hysteresis.publishable(1, published, renewed, now)).isEqualTo(renewed);
    }

    @Test
    void aLeaseThatLapsedComesBackOnlyWithTheMarginLeft() {
        long now = 1_000 * MS;
        long lapsed = now - 5 * MS;

        assertThat(hysteresis.publishable(1, lapsed, now + 60 * MS, now)).isEqualTo(NONE);
        assertThat(hysteresis.publishable(1, NONE, now + 120 * MS, now)).isEqualTo(now + 120 * MS);
    }

    @Test
    void noLeaseIsNeverPublishedAsOne() {
        assertThat(hysteresis.publishable(1, 2_000 * MS, NONE, 1_000 * MS)).isEqualTo(NONE);
    }

    @Test
    void theRenewalMarginIsWhatTheLeaseHadLeftWhenItWasRenewedAndALateRenewalIsALapse() {
        long now = 1_000 * MS;
        hysteresis.publishable(1, NONE, now + 200 * MS, now);
        assertThat(hysteresis.renewalMarginNanos()).isEqualTo(NONE);

        hysteresis.publishable(1, now + 200 * MS, now + 230 * MS, now + 150 * MS);
        assertThat(hysteresis.renewalMarginNanos()).isEqualTo(50 * MS);

        hysteresis.publishable(1, now + 230 * MS, now + 400 * MS, now + 240 * MS);
        assertThat(hysteresis.renewalMarginNanos()).isEqualTo(-10 * MS);
        assertThat(hysteresis.lapses()).isEqualTo(1);
    }

    @Test
    void aNewTermStartsTheMarginAfresh() {
        long now = 1_000 * MS;
        hysteresis.publishable(1, NONE, now + 200 * MS, now);
        hysteresis.publishable(2, NONE, now + 900 * MS, now + 700 * MS);

        assertThat(hysteresis.renewalMarginNanos()).isEqualTo(NONE);
        assertThat(hysteresis.lapses()).isZero();
    }
}
