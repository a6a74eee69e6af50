package io.raftboot.spring.grpc;

/**
 * The smoothed round trip to one peer: an exponentially weighted moving average of the measured
 * AppendEntries round trips with gain 1/8, TCP's smoothed RTT (RFC 6298 §2). With a heartbeat
 * every 50 ms a step in the round trip shows three quarters of its size after about ten samples
 * (half a second), while one late reply moves it by an eighth: enough to warn before the lease
 * lapses, not so jumpy that a single slow fsync raises a warning. It is an average, not a
 * maximum: a lease lapse depends on the slowest renewal, which {@code raft.lease.renewal.margin}
 * reports.
 */
final class RoundTripEstimate {

    static final double GAIN = 0.125;

    private double smoothedNanos = Double.NaN;

    /** Adds one measured round trip; the first sample is taken as it is. */
    synchronized void add(long nanos) {
        if (nanos < 0) {
            return;
        }
        smoothedNanos = Double.isNaN(smoothedNanos) ? nanos : smoothedNanos + GAIN * (nanos - smoothedNanos);
    }

    /** The smoothed round trip in nanoseconds, or NaN before the first sample. */
    synchronized double smoothedNanos() {
        return smoothedNanos;
    }
}
