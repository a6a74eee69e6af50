package io.raftboot.core.node;

/**
 * The promise a voter gives the leader it hears (leader stickiness, thesis §4.2.3 and §9.6):
 * for an election timeout after hearing it, refuse other candidates. Leader leases rest on this
 * promise. Kept from boot (a restarted voter honours a promise it may have given before it
 * crashed) and broken only when the driver reported the leader gone ({@link LeaderLossReport}).
 */
final class Stickiness {

    private final ProtocolSettings settings;
    private final LeaderLossReport lossReport;
    /** Ticks since a leader was last heard (0 at boot). */
    private long ticksSinceLeader;

    Stickiness(ProtocolSettings settings, LeaderLossReport lossReport) {
        this.settings = settings;
        this.lossReport = lossReport;
    }

    void tick() {
        ticksSinceLeader++;
    }

    /** A leader was heard, or this node leads. */
    void leaderHeard() {
        ticksSinceLeader = 0;
    }

    /** Ticks this voter still owes the last leader it heard, whether or not it keeps the promise; 0 without check-quorum. */
    long promiseTicks() {
        return settings.checkQuorum() ? Math.max(0, settings.electionTicks() - ticksSinceLeader) : 0;
    }

    /** Whether this voter refuses other candidates now: it owes a promise it still keeps. */
    boolean refusesCandidates() {
        return !lossReport.leaderLost() && promiseTicks() > 0;
    }
}
