package io.raftboot.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.core.message.AppendEntries;
import io.raftboot.core.message.TimeoutNow;
import io.raftboot.core.storage.PersistentState;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link RaftNode#ticksUntilNextEvent()}, timer by timer: the ticks before the announced one do
 * nothing a driver must act on (it sleeps through them and catches them up later), and the
 * announced one is the tick at which the timer fires. A heartbeat of 3 ticks and T = 10, so
 * that the leader's timers are not all due at every tick.
 */
class NextEventTest {

    private static final int T = 10;
    private static final int HEARTBEAT = 3;
    private static final ProtocolSettings SETTINGS =
            ProtocolSettings.of(Membership.ofVoters("a", "b", "c")).withTicks(T, HEARTBEAT);

    private record Seen(Role role, long term, String leader, long commit, boolean lease, boolean transferring) {
        static Seen of(RaftNode n) {
            return new Seen(
                    n.role(), n.term(), n.leaderId(), n.commitIndex(), n.leaseValid(), n.isTransferringLeadership());
        }
    }

    /**
     * Ticks {@code id} alone up to its announced next event, checking that each tick before it
     * sends nothing and changes nothing seen from outside; returns the ticks it took.
     */
    private static long tickToNextEvent(Network net, String id) {
        RaftNode n = net.node(id);
        long due = n.ticksUntilNextEvent();
        assertThat(due).as("%s's next event", id).isPositive().isLessThan(Long.MAX_VALUE);
        for (long i = 1; i < due; i++) {
            Seen before = Seen.of(n);
            int sent = net.sent.size();
            net.tickOnly(id);
            assertThat(net.sent.size())
                    .as("%s sent at tick %d of %d announced quiet", id, i, due)
                    .isEqualTo(sent);
            assertThat(Seen.of(n))
                    .as("%s at tick %d of %d announced quiet", id, i, due)
                    .isEqualTo(before);
        }
        net.tickOnly(id);
        return due;
    }

    private static Network ledByA(long seed) {
        Network net = new Network(SETTINGS, seed);
        net.elect("a");
        net.tickAll();
        return net;
    }

    @Test
    void aFollowerThatHearsNothingWakesFirstWhenItsElectionTimeoutRunsOut() {
        Network net = ledByA(1);
        net.isolate("a");
        RaftNode b = net.node("b");
        long heard = b.ticks();

        long ticks = tickToNextEvent(net, "b");

        assertThat(b.role()).as("it campaigns at the announced tick").isEqualTo(Role.CANDIDATE);
        assertThat(ticks).as("a timeout drawn from [T, 2T)").isBetween((long) T, 2L * T - 1);
        assertThat(b.ticks() - heard).isEqualTo(ticks);
    }

    @Test
    void hearingTheLeaderPushesTheFollowersNextEventBackToAWholeTimeout() {
        Network net = ledByA(2);
        RaftNode b = net.node("b");
        tickUntilBHearsA(net);
        long fresh = b.ticksUntilNextEvent();
        net.isolate("a");
        net.tickOnly("b");
        net.tickOnly("b");
        assertThat(b.ticksUntilNextEvent()).isEqualTo(fresh - 2);

        net.heal();
        tickUntilBHearsA(net);

        assertThat(b.ticksUntilNextEvent()).isEqualTo(fresh);
    }

    /** Rounds until a heartbeat of a was delivered to b: b's tick of that round came before it. */
    private static void tickUntilBHearsA(Network net) {
        int delivered = net.delivered.size();
        net.tickUntil(
                () -> net.delivered.subList(delivered, net.delivered.size()).stream()
                        .anyMatch(m -> m instanceof AppendEntries && m.to().equals("b")),
                HEARTBEAT,
                "a heartbeat from a reaches b");
    }

    @Test
    void aCandidateWhoseVotersAreSilentWakesToCampaignAgainAtItsTimeout() {
        Network net = ledByA(3);
        net.isolate("b");
        tickToNextEvent(net, "b");
        RaftNode b = net.node("b");
        assertThat(b.role()).isEqualTo(Role.CANDIDATE);
        int sent = net.sent.size();

        tickToNextEvent(net, "b");

        assertThat(b.role()).isEqualTo(Role.CANDIDATE);
        assertThat(net.sent.size()).as("a new round of pre-vote requests").isGreaterThan(sent);
    }

    @Test
    void aSurvivorRankedSecondWakesForItsEarlyPreVoteAThirdOfATimeoutAfterTheReport() {
        Network net = ledByA(4);
        net.crash("a");
        RaftNode c = net.node("c");
        c.peerUnreachable("a");
        net.flush("c");

        long ticks = tickToNextEvent(net, "c");

        assertThat(ticks).as("c ranks after b: one stagger of max(2, T / 3)").isEqualTo(Math.max(2, T / 3));
        assertThat(c.role()).isEqualTo(Role.CANDIDATE);
    }

    @Test
    void aLearnerThatHearsNothingHasNoEventAtAll() {
        RaftNode l = new RaftNode(
                "l",
                ProtocolSettings.of(new Membership(Set.of("a", "b", "c"), Set.of("l"))),
                PersistentState.EMPTY,
                new Random(5));

        assertThat(l.ticksUntilNextEvent()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aLeaderWakesForEachHeartbeatAndOnlyThen() {
        Network net = ledByA(6);
        for (int round = 0; round < 5; round++) {
            int sent = net.sent.size();

            long ticks = tickToNextEvent(net, "a");

            assertThat(ticks).as("round %d", round).isLessThanOrEqualTo(HEARTBEAT);
            assertThat(net.sent.subList(sent, net.sent.size()))
                    .as("round %d: a heartbeat to each follower", round)
                    .hasSize(2)
                    .allMatch(m -> m instanceof AppendEntries);
            net.deliverAll();
        }
        assertThat(net.node("a").ticksUntilNextEvent()).isEqualTo(HEARTBEAT);
    }

    @Test
    void anIsolatedLeaderWakesWhenItsLeaseEndsAndWhenItLosesTheQuorum() {
        Network net = ledByA(7);
        RaftNode a = net.node("a");
        assertThat(a.leaseValid()).isTrue();
        long leaseEnd = a.leaseStartTick() + SETTINGS.leaseTicks();
        long lastHeard = a.ticks()
                - a.peers().stream()
                        .mapToLong(PeerStatus::ticksSinceContact)
                        .min()
                        .orElseThrow();
        net.isolate("a");

        boolean sawLeaseEnd = false;
        while (a.role() == Role.LEADER) {
            boolean leaseBefore = a.leaseValid();
            tickToNextEvent(net, "a");
            if (leaseBefore && !a.leaseValid()) {
                sawLeaseEnd = true;
                assertThat(a.ticks()).as("the lease ends at its announced tick").isEqualTo(leaseEnd);
            }
            assertThat(a.ticks()).as("still leading").isLessThanOrEqualTo(lastHeard + SETTINGS.checkQuorumTicks());
        }

        assertThat(sawLeaseEnd).isTrue();
        assertThat(a.ticks())
                .as("check-quorum steps down once no follower was heard for checkQuorumTicks")
                .isEqualTo(lastHeard + SETTINGS.checkQuorumTicks());
    }

    @Test
    void aLeaderWakesWhenATransferToAnUnreachableTargetTimesOut() {
        Network net = ledByA(8);
        net.dropWhere(m -> m instanceof TimeoutNow);
        RaftNode a = net.node("a");
        a.transferLeadership("c");
        net.flush("a");
        long started = a.ticks();

        while (a.role() == Role.LEADER) {
            tickToNextEvent(net, "a");
            net.deliverAll();
        }

        assertThat(a.ticks() - started)
                .as("the TimeoutNow was lost: a steps down after an election timeout")
                .isEqualTo(T);
    }
}
