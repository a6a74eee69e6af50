package io.raftboot.core.node;

import io.raftboot.core.message.AppendEntries;
import io.raftboot.core.message.InstallSnapshot;
import io.raftboot.core.message.Message;

/**
 * A follower's crash-fast state ({@link RaftNode#peerUnreachable}): which leader the driver
 * reported gone and when, and the tick at which this voter's early pre-vote is due. Pure
 * bookkeeping; {@link RaftNode} decides what the report changes (stickiness, campaigns).
 */
final class LeaderLossReport {

    private final ProtocolSettings config;
    private final Configurations configs;
    /** The leader reported gone, or {@code null}: cleared when any leader is heard. */
    private String lostLeader;

    private long reportedAtTick;
    /** Tick at which to start the early pre-vote, or -1. */
    private long campaignTick = -1;

    LeaderLossReport(ProtocolSettings config, Configurations configs) {
        this.config = config;
        this.configs = configs;
    }

    /**
     * Records that {@code leader} is gone at tick {@code now} and schedules this voter's early
     * pre-vote. Survivors start a third of an election timeout apart, in id order, so the first
     * usually wins before the next starts (they learn of a crash up to ~100 ms apart in the
     * benchmarks; a smaller stagger split the vote).
     *
     * @return whether the pre-vote is due right now (this voter ranks first)
     */
    boolean report(String leader, String self, long now) {
        lostLeader = leader;
        reportedAtTick = now;
        campaignTick = now + (long) Math.max(2, config.electionTicks() / 3) * rank(self);
        if (campaignTick == now) {
            campaignTick = -1;
            return true;
        }
        return false;
    }

    /** Whether the scheduled early pre-vote is due at {@code now}; it is then no longer scheduled. */
    boolean campaignDue(long now) {
        if (campaignTick >= 0 && now >= campaignTick) {
            campaignTick = -1;
            return true;
        }
        return false;
    }

    /**
     * Ticks from {@code now} until {@link #campaignDue} first answers true (at least 1), or
     * {@link Long#MAX_VALUE} when no early pre-vote is scheduled.
     */
    long ticksUntilCampaign(long now) {
        return campaignTick < 0 ? Long.MAX_VALUE : Math.max(1, campaignTick - now);
    }

    /** Drops the scheduled early pre-vote (another campaign started, or we gave way). */
    void cancelCampaign() {
        campaignTick = -1;
    }

    /** A leader was heard, or this node leads: the report no longer holds. */
    void clear() {
        lostLeader = null;
        campaignTick = -1;
    }

    boolean leaderLost() {
        return lostLeader != null;
    }

    String lostLeader() {
        return lostLeader;
    }

    /**
     * An append the lost leader sent just before it died can reach us after the report (the
     * driver hands appends to the loop through another thread than the report), and hearing
     * "the leader" again would cancel the early campaign and cost a whole election timeout (seen
     * in the multi-process fault test: 0.8 s instead of 0.2). For two heartbeat intervals after
     * the report such appends are dropped, as if lost; a leader alive after all (a false report)
     * is heard again after that. TimeoutNow is kept: it asks for a campaign anyway.
     */
    boolean isLateFromLostLeader(Message m, long term, long now) {
        return lostLeader != null
                && m.from().equals(lostLeader)
                && m.term() == term
                && (m instanceof AppendEntries || m instanceof InstallSnapshot)
                && now - reportedAtTick < 2L * config.heartbeatTicks();
    }

    /** Position of {@code voter} among the voters (other than a lost leader, if any), in id order. */
    int rank(String voter) {
        int rank = 0;
        for (String v : configs.current().voters()) {
            if (!v.equals(lostLeader) && v.compareTo(voter) < 0) {
                rank++;
            }
        }
        return rank;
    }
}
