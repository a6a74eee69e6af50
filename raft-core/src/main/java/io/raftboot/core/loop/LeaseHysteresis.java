package io.raftboot.core.loop;

import java.lang.System.Logger.Level;

/**
 * What of the leader's lease is published to {@code isLeader()}, and how close it ran to lapsing.
 *
 * <p>The lease runs from the send time of the latest heartbeat a quorum echoed (thesis §6.4.1);
 * it holds while every renewal arrives before it runs out, that is while a round trip plus the
 * heartbeat interval stays below the lease. Near that edge it lapsed and came back with every
 * heartbeat (issue 18: over 190 losses in 10 s at a 200 ms round trip, 250 ms lease), so
 * {@code @LeaderOnly} work started and stopped many times a second. Hysteresis: a lease that
 * holds is kept as it is renewed, but a lease that does not hold (a new leadership, or one that
 * lapsed) is published only when it has at least the grant margin left. At a round trip below
 * half the lease a renewal always has more than half the lease left, so the margin (at most half
 * the lease) never keeps such a leader without its lease. Publishing no lease where the node has
 * one is always safe: this only ever takes a lease away.
 *
 * <p>Also measures the renewal margin: what the lease had left when a renewal arrived (negative:
 * it had lapsed), and warns, at most once per {@link #WARN_EVERY_NANOS}, when it is below a
 * heartbeat interval, with the round trip it implies.
 */
final class LeaseHysteresis {

    private static final System.Logger LOG = System.getLogger(RaftLoop.class.getName());
    static final long WARN_EVERY_NANOS = 10_000_000_000L;

    private final String nodeId;
    private final long leaseNanos;
    private final long heartbeatNanos;
    private final long grantMarginNanos;

    private long rawTerm = -1;
    private long rawValidUntil = Long.MIN_VALUE;
    private volatile long renewalMarginNanos = Long.MIN_VALUE;
    private volatile long lapses;
    private long lastWarnNanos = Long.MIN_VALUE;
    private long suppressedWarnings;

    /**
     * @param leaseNanos the lease's length (from the heartbeat's send time)
     * @param heartbeatNanos the heartbeat interval: the grant margin is two of them, at most half the lease
     */
    LeaseHysteresis(String nodeId, long leaseNanos, long heartbeatNanos) {
        this.nodeId = nodeId;
        this.leaseNanos = leaseNanos;
        this.heartbeatNanos = heartbeatNanos;
        this.grantMarginNanos = Math.min(2 * heartbeatNanos, leaseNanos / 2);
    }

    long grantMarginNanos() {
        return grantMarginNanos;
    }

    /**
     * The lease to publish.
     *
     * @param published the lease end currently published for {@code term} as leader, or {@link Long#MIN_VALUE}
     * @param raw the lease end the node has now, or {@link Long#MIN_VALUE} for none
     * @param now {@link System#nanoTime()}
     */
    long publishable(long term, long published, long raw, long now) {
        observe(term, raw, now);
        if (raw == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        boolean holds = published != Long.MIN_VALUE && now - published < 0;
        return holds || raw - now >= grantMarginNanos ? raw : Long.MIN_VALUE;
    }

    /** Records a renewal: the raw lease moved on within one leadership. */
    private void observe(long term, long raw, long now) {
        if (raw == Long.MIN_VALUE) {
            return;
        }
        if (term == rawTerm && rawValidUntil != Long.MIN_VALUE && raw - rawValidUntil > 0) {
            long margin = rawValidUntil - now;
            renewalMarginNanos = margin;
            if (margin <= 0) {
                lapses++;
            }
            if (margin < heartbeatNanos) {
                warn(margin, now - (raw - leaseNanos), now);
            }
        }
        if (term != rawTerm || rawValidUntil == Long.MIN_VALUE || raw - rawValidUntil > 0) {
            rawTerm = term;
            rawValidUntil = raw;
        }
    }

    private void warn(long marginNanos, long roundTripNanos, long now) {
        if (lastWarnNanos != Long.MIN_VALUE && now - lastWarnNanos < WARN_EVERY_NANOS) {
            suppressedWarnings++;
            return;
        }
        LOG.log(
                Level.WARNING,
                "node {0}: the leader lease was renewed {1} ({2} more such renewals since the last"
                        + " warning): the round trip to a majority is about {3} ms, and the lease ({4} ms)"
                        + " lapses when a round trip plus the heartbeat interval ({5} ms) exceeds it."
                        + " Raise raft.election-timeout or bring the nodes closer; see the envelope in"
                        + " docs/operations.md",
                nodeId,
                marginNanos > 0 ? "with only " + marginNanos / 1_000_000 + " ms left" : "after it had lapsed",
                suppressedWarnings,
                roundTripNanos / 1_000_000,
                leaseNanos / 1_000_000,
                heartbeatNanos / 1_000_000);
        lastWarnNanos = now;
        suppressedWarnings = 0;
    }

    /** What the lease had left at its latest renewal (negative: it had lapsed), or {@link Long#MIN_VALUE} before any. */
    long renewalMarginNanos() {
        return renewalMarginNanos;
    }

    /** Renewals that came after the lease had run out. */
    long lapses() {
        return lapses;
    }
}
