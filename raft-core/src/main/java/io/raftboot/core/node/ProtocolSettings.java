package io.raftboot.core.node;

import java.util.Objects;

/**
 * Protocol settings of one node, in ticks of the driver's logical clock.
 *
 * @param membership the cluster's voters and learners
 * @param electionTicks T: a follower that hears no leader for a random time in [T, 2T) campaigns
 *     (§5.2); a leader that hears no majority within T steps down (check-quorum)
 * @param heartbeatTicks the leader sends AppendEntries at least this often
 * @param maxClockDrift bound on how much faster one node's clock may run than another's, as a
 *     fraction (0.1 = 10%); shortens the leader lease accordingly
 * @param maxEntriesPerAppend batching limit per AppendEntries
 * @param maxInflightAppends AppendEntries carrying entries that may be outstanding per follower
 * @param preVote run a pre-vote before a real election (thesis §9.6)
 * @param checkQuorum leader steps down without majority contact, followers do not vote while
 *     they hear a live leader (leader stickiness, thesis §9.6)
 */
public record ProtocolSettings(
        Membership membership,
        int electionTicks,
        int heartbeatTicks,
        double maxClockDrift,
        int maxEntriesPerAppend,
        int maxInflightAppends,
        boolean preVote,
        boolean checkQuorum) {

    public ProtocolSettings {
        Objects.requireNonNull(membership, "membership");
        if (heartbeatTicks < 1) {
            throw new IllegalArgumentException("heartbeatTicks must be >= 1, got " + heartbeatTicks);
        }
        if (electionTicks <= 2 * heartbeatTicks) {
            throw new IllegalArgumentException("electionTicks (" + electionTicks
                    + ") must be more than twice heartbeatTicks (" + heartbeatTicks + ")");
        }
        if (maxClockDrift < 0 || maxClockDrift >= 0.5) {
            throw new IllegalArgumentException("maxClockDrift must be in [0, 0.5), got " + maxClockDrift);
        }
        if (maxEntriesPerAppend < 1 || maxInflightAppends < 1) {
            throw new IllegalArgumentException("maxEntriesPerAppend and maxInflightAppends must be >= 1");
        }
    }

    /** Defaults: T = 10 ticks, heartbeat every tick... use {@link #of(Membership)} and adjust. */
    public static ProtocolSettings of(Membership membership) {
        return new ProtocolSettings(membership, 10, 1, 0.1, 64, 4, true, true);
    }

    /** The same settings with another bootstrap membership (a node joining a running cluster). */
    public ProtocolSettings withMembership(Membership bootstrap) {
        return new ProtocolSettings(
                bootstrap,
                electionTicks,
                heartbeatTicks,
                maxClockDrift,
                maxEntriesPerAppend,
                maxInflightAppends,
                preVote,
                checkQuorum);
    }

    public ProtocolSettings withTicks(int electionTicks, int heartbeatTicks) {
        return new ProtocolSettings(
                membership,
                electionTicks,
                heartbeatTicks,
                maxClockDrift,
                maxEntriesPerAppend,
                maxInflightAppends,
                preVote,
                checkQuorum);
    }

    public ProtocolSettings withPreVote(boolean preVote) {
        return new ProtocolSettings(
                membership,
                electionTicks,
                heartbeatTicks,
                maxClockDrift,
                maxEntriesPerAppend,
                maxInflightAppends,
                preVote,
                checkQuorum);
    }

    public ProtocolSettings withCheckQuorum(boolean checkQuorum) {
        return new ProtocolSettings(
                membership,
                electionTicks,
                heartbeatTicks,
                maxClockDrift,
                maxEntriesPerAppend,
                maxInflightAppends,
                preVote,
                checkQuorum);
    }

    public ProtocolSettings withBatching(int maxEntriesPerAppend, int maxInflightAppends) {
        return new ProtocolSettings(
                membership,
                electionTicks,
                heartbeatTicks,
                maxClockDrift,
                maxEntriesPerAppend,
                maxInflightAppends,
                preVote,
                checkQuorum);
    }

    /**
     * Ticks without an answer from a majority after which a leader steps down (check-quorum,
     * thesis §6.2): two election timeouts, the longest a follower waits before it campaigns. The
     * thesis says one; but a new leader heard its voters last when their votes arrived, and its
     * first heartbeats are answered a round trip later, so with one election timeout a round trip
     * of about T (issue 18: 300 ms) deposed every new leader before its first answers came back,
     * and a sudden jump of the round trip did the same to a stable one. Stepping down later
     * changes no safety property: the lease runs from the send time of heartbeats a quorum echoed
     * and rests on the voters' promises ({@link Stickiness}), not on this; a cut-off leader only
     * reports LEADER (without a lease) for up to one more election timeout.
     */
    public int checkQuorumTicks() {
        return 2 * electionTicks;
    }

    /**
     * Ticks the leader may count after sending a heartbeat that a majority acknowledged, during
     * which no other node can be elected. A voter refuses votes for T of its own ticks after
     * hearing the leader, which (discrete ticks) is at least T - 1 full tick periods; a leader
     * clock slower by up to {@code maxClockDrift} and its own partial tick cost one more.
     */
    public int leaseTicks() {
        return Math.max(0, (int) Math.floor((electionTicks - 1) * (1 - maxClockDrift)) - 1);
    }

    /**
     * Ticks a named role's holder keeps it after the probe that the leader's latest echo answered
     * (issue 16, {@link RoleProofs}): the leader lease's length, so a holder renewed by every
     * heartbeat keeps its roles through the same hiccups as the leader keeps its lease.
     */
    public int roleLeaseTicks() {
        return leaseTicks();
    }

    /**
     * Ticks of the leader's clock that surely outlast {@link #roleLeaseTicks()} ticks of any
     * holder's clock (whose tick may last up to 1 / (1 - drift) of ours; one more for our partial
     * tick): how long a leader waits before granting a revoked role to another node.
     */
    public int roleWaitTicks() {
        return (int) Math.ceil(roleLeaseTicks() / (1 - maxClockDrift)) + 1;
    }
}
