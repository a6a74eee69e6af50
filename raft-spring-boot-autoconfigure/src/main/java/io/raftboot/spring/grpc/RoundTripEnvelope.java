package io.raftboot.spring.grpc;

import io.raftboot.spring.cluster.ClusterSettings;
import java.time.Duration;

/**
 * The round trips at which this node's settings stop holding (docs/operations.md, the envelope),
 * computed from the settings as docs/protocol.md and the loop's {@code LeaseHysteresis} do:
 *
 * <ul>
 *   <li>the lease: {@code floor((T - 1) * (1 - maxClockDrift)) - 1} ticks from the send time of
 *       the heartbeat a majority echoed (thesis §6.4.1; 250 ms with the defaults);
 *   <li>the grant margin: a lease that lapsed comes back only with {@code min(2 H, lease / 2)}
 *       left (hysteresis), so it is regained only while a round trip stays below
 *       {@code lease - margin} (150 ms with the defaults);
 *   <li>a held lease lapses once a round trip plus the heartbeat interval H exceeds it (above
 *       {@code lease - H}, 200 ms);
 *   <li>electing a leader needs a pre-vote and a vote round trip within the candidate's random
 *       timeout of [T, 2T) (measured with the defaults: a failover at a 500 ms round trip, none at
 *       600 ms; docs/operations.md).
 * </ul>
 *
 * The warning starts at the first edge, {@link #warnAboveNanos()}: past it a lease that is lost
 * for any reason stays lost, and the lapse itself is only H further; with the defaults it is also
 * half the election timeout. It clears below {@link #clearBelowNanos()}, a fifth lower, so that a
 * round trip hovering at the edge does not warn and clear with every heartbeat.
 */
record RoundTripEnvelope(long leaseNanos, long heartbeatNanos, long electionTimeoutNanos) {

    /** The warning clears only this far below its threshold. */
    static final double CLEAR_RATIO = 0.8;

    static RoundTripEnvelope of(ClusterSettings settings) {
        long tick = settings.tick().toNanos();
        long leaseTicks = (long) Math.floor((settings.electionTicks() - 1) * (1 - settings.maxClockDrift())) - 1;
        return new RoundTripEnvelope(
                Math.max(0, leaseTicks) * tick,
                settings.heartbeatInterval().toNanos(),
                settings.electionTimeout().toNanos());
    }

    /** What a lapsed or new lease must have left to be published (the loop's grant margin). */
    long grantMarginNanos() {
        return Math.min(2 * heartbeatNanos, leaseNanos / 2);
    }

    /** Above this round trip a lost lease is not regained: the warning starts here. */
    long warnAboveNanos() {
        return leaseNanos - grantMarginNanos();
    }

    /** Above this round trip a held lease lapses between two renewals. */
    long lapseAboveNanos() {
        return leaseNanos - heartbeatNanos;
    }

    long clearBelowNanos() {
        return (long) (warnAboveNanos() * CLEAR_RATIO);
    }

    String describe() {
        return String.format(
                "the lease (%d ms) is not regained above a round trip of %d ms and lapses above %d ms;"
                        + " electing a new leader needs a pre-vote and a vote round trip within the candidate's"
                        + " timeout of %d-%d ms",
                Duration.ofNanos(leaseNanos).toMillis(),
                Duration.ofNanos(warnAboveNanos()).toMillis(),
                Duration.ofNanos(lapseAboveNanos()).toMillis(),
                Duration.ofNanos(electionTimeoutNanos).toMillis(),
                Duration.ofNanos(2 * electionTimeoutNanos).toMillis());
    }
}
