package io.raftboot.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.core.message.AppendResponse;
import io.raftboot.core.message.TimeoutNow;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The leader lease: valid only while a majority acknowledged a heartbeat sent less than
 * {@link ProtocolSettings#leaseTicks()} ago; those voters refuse other candidates for T of their own
 * ticks (stickiness), so no other leader can be elected while it holds.
 */
class LeaderLeaseTest {

    private static final int T = 10;

    @Test
    void leaseIsValidOnlyOnTheLeaderAndOnlyOnceAMajorityAcknowledgedIt() {
        Network net = Network.ofThree(81);
        net.holdWhere(m -> m instanceof AppendResponse && m.to().equals("a"));
        net.elect("a");
        RaftNode a = net.node("a");
        assertThat(a.role()).isEqualTo(Role.LEADER);
        assertThat(a.leaseValid()).as("no follower acknowledged yet").isFalse();

        net.releaseHeldWhere(m -> m.from().equals("b"));
        net.deliverAll();

        assertThat(a.leaseValid()).as("a and b are a majority").isTrue();
        assertThat(a.leaseRemainingTicks())
                .isPositive()
                .isLessThanOrEqualTo(net.config().leaseTicks());
        assertThat(net.node("b").leaseValid()).isFalse();
        assertThat(net.node("c").leaseValid()).isFalse();
    }

    @Test
    void leaseIsShorterThanTheElectionTimeout() {
        ProtocolSettings config = Network.threeVoters();

        assertThat(config.leaseTicks()).isPositive().isLessThan(config.electionTicks());
    }

    @Test
    void healthyLeaderKeepsItsLeaseTickAfterTick() {
        Network net = Network.ofThreeLedByA(82);

        for (int round = 0; round < 3 * T; round++) {
            net.tickAll();
            assertThat(net.node("a").leaseValid()).as("round %d", round).isTrue();
        }
    }

    @Test
    void leaseEndsWithinLeaseTicksOnceAcknowledgementsStop() {
        Network net = Network.ofThreeLedByA(83);
        RaftNode a = net.node("a");
        assertThat(a.leaseValid()).isTrue();
        net.isolate("a");

        int rounds = 0;
        while (a.leaseValid()) {
            net.tickAll();
            rounds++;
            assertThat(rounds)
                    .as("lease still valid")
                    .isLessThanOrEqualTo(net.config().leaseTicks());
        }

        assertThat(a.role())
                .as("the lease ends before check-quorum ends the leadership")
                .isEqualTo(Role.LEADER);
    }

    @Test
    void leaseCountsFromWhenTheHeartbeatWasSentNotFromWhenItsAcknowledgementArrived() {
        Network net = Network.ofThreeLedByA(86);
        RaftNode a = net.node("a");
        net.holdWhere(m -> m instanceof AppendResponse && m.to().equals("a"));
        int leaseTicks = net.config().leaseTicks();
        net.tickAll(leaseTicks + 1); // heartbeats are acknowledged, the acknowledgements are late
        assertThat(a.leaseValid()).isFalse();
        long oldestRound = net.held().stream()
                .mapToLong(m -> ((AppendResponse) m).readSeq())
                .min()
                .orElseThrow();

        net.releaseHeldWhere(m -> ((AppendResponse) m).readSeq() == oldestRound);
        net.deliverAll();
        assertThat(a.leaseValid())
                .as("acknowledgements of a heartbeat sent %d ticks ago", leaseTicks)
                .isFalse();

        net.releaseHeld();
        net.deliverAll();
        assertThat(a.leaseValid())
                .as("acknowledgements of the heartbeat sent this tick")
                .isTrue();
        assertThat(a.role()).isEqualTo(Role.LEADER);
    }

    @Test
    void leaseIsOffDuringALeadershipTransferAndBackOnceItIsAbandoned() {
        Network net = Network.ofThreeLedByA(84);
        RaftNode a = net.node("a");
        net.isolate("c");
        net.propose("a", "x");
        net.deliverAll();
        assertThat(a.leaseValid()).isTrue();

        a.transferLeadership("c");
        net.flush("a");
        for (int round = 0; round < T - 1; round++) {
            assertThat(a.leaseValid()).as("round %d of the transfer", round).isFalse();
            net.tickAll();
        }
        net.tickAll();
        assertThat(a.isTransferringLeadership()).isFalse();
        net.tickAll();

        assertThat(a.leaseValid()).isTrue();
    }

    @Test
    void leaseStaysOffForTheRestOfTheTermOnceTimeoutNowLeft() {
        Network net = Network.ofThreeLedByA(85);
        net.dropWhere(m -> m instanceof TimeoutNow);
        RaftNode a = net.node("a");

        a.transferLeadership("b");
        net.flush("a");
        while (a.role() == Role.LEADER) {
            assertThat(a.leaseValid()).isFalse();
            net.tickAll();
            assertThat(a.ticks()).isLessThan(10L * T);
        }
    }

    @Test
    void leasesOfTheOldAndTheNewLeaderNeverOverlapAcrossAPartition() {
        for (long seed = 0; seed < 30; seed++) {
            checkNoOverlapAfterIsolatingTheLeader(seed, false, false);
        }
    }

    @Test
    void slowerClockOfTheOldLeaderStillEndsItsLeaseBeforeTheNewLeaderGetsOne() {
        for (long seed = 0; seed < 30; seed++) {
            checkNoOverlapAfterIsolatingTheLeader(seed, true, false);
        }
    }

    @Test
    void followerRestartedRightAfterAcknowledgingDoesNotHelpElectAnOverlappingLeader() {
        for (long seed = 0; seed < 30; seed++) {
            checkNoOverlapAfterIsolatingTheLeader(seed, false, true);
        }
    }

    /**
     * a holds a lease, then is cut off; b and c elect a new leader. At no tick do two nodes hold a
     * lease. {@code slowOldLeader}: a's clock runs 10% slower (the configured maxClockDrift).
     * {@code restartB}: b crashes and restarts from disk right after acknowledging a's heartbeat.
     */
    private static void checkNoOverlapAfterIsolatingTheLeader(long seed, boolean slowOldLeader, boolean restartB) {
        Network net = Network.ofThreeLedByA(seed);
        net.tickAll();
        RaftNode a = net.node("a");
        assertThat(a.leaseValid()).isTrue();
        net.isolate("a");
        if (restartB) {
            net.crash("b");
            net.restart("b");
        }
        boolean newLeaseSeen = false;
        for (int round = 0; round < 6 * T; round++) {
            for (String id : List.of("a", "b", "c")) {
                if (!(slowOldLeader && id.equals("a") && round % 10 == 9)) {
                    net.tickOnly(id);
                }
            }
            net.deliverAll();
            List<String> holders = net.leaseHolders();
            assertThat(holders).as("seed %d round %d: %s", seed, round, net).hasSizeLessThanOrEqualTo(1);
            newLeaseSeen |= !holders.isEmpty() && !holders.contains("a");
        }
        assertThat(newLeaseSeen)
                .as("seed %d: b or c led with a lease: %s", seed, net)
                .isTrue();
        net.heal();
        for (int round = 0; round < 2 * T; round++) {
            net.tickAll();
            assertThat(net.leaseHolders()).as("seed %d after healing", seed).hasSizeLessThanOrEqualTo(1);
        }
        assertThat(net.leaders()).hasSize(1);
    }
}
