package io.raftboot.core.node;

/**
 * What one leader's lease rests on, for its term (thesis §6.4.1): the voters' stickiness
 * promises ({@link Stickiness}), started by heartbeats a quorum echoed, and the two things that
 * take the lease away. Promises that voters broke to elect this leader (crash-fast detection)
 * may still protect the previous leader's lease: no lease, and no TimeoutNow, before they have
 * surely run out. A TimeoutNow forfeits the lease for the rest of the term, because its target
 * campaigns past stickiness.
 */
final class Lease {

    private final ProtocolSettings settings;
    private final long notBeforeTick;
    private boolean forfeited;

    Lease(ProtocolSettings settings, long now, long brokenPromiseTicks) {
        this.settings = settings;
        this.notBeforeTick = now + ownTicksOutlasting(brokenPromiseTicks);
    }

    /** Whether every promise broken to elect this leader has surely run out. */
    boolean waitOver(long now) {
        return now >= notBeforeTick;
    }

    /** The first tick at which {@link #waitOver} holds. */
    long waitOverTick() {
        return notBeforeTick;
    }

    /** Ticks from {@code now} until {@link #waitOver} first holds; 0 if it holds now. */
    long ticksUntilWaitOver(long now) {
        return Math.max(0, notBeforeTick - now);
    }

    /** TimeoutNow left: its target may campaign past stickiness. */
    void forfeit() {
        forfeited = true;
    }

    boolean forfeited() {
        return forfeited;
    }

    /**
     * Tick at which the latest heartbeat a quorum echoed was sent, or -1 when no lease can be
     * claimed: during a transfer, once forfeited, before the wait is over, or without
     * check-quorum (voters are then not sticky, so nobody promised anything).
     */
    long startTick(boolean transferring, Replication replication, HeartbeatRounds rounds, long now) {
        if (transferring || forfeited || !settings.checkQuorum() || !waitOver(now)) {
            return -1;
        }
        return replication.quorumEchoTick(rounds, now);
    }

    /**
     * Our ticks that surely outlast {@code voterTicks} ticks of a voter's clock: a voter's tick
     * may last up to 1 / (1 - drift) of ours, and its promise ends at a tick boundary.
     */
    private long ownTicksOutlasting(long voterTicks) {
        return voterTicks == 0 ? 0 : (long) Math.ceil(voterTicks / (1 - settings.maxClockDrift())) + 1;
    }
}
