package io.raftboot.core.node;

import static io.raftboot.core.node.Network.bytes;
import static io.raftboot.core.node.Network.terms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftboot.core.log.LogEntry;
import io.raftboot.core.message.TimeoutNow;
import io.raftboot.core.message.VoteRequest;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Leadership transfer with TimeoutNow (Ongaro's thesis §3.10). */
class LeadershipTransferTest {

    private static final int T = 10;

    private static Network clusterLedBy(String leader, long seed) {
        Network net = Network.ofThree(seed);
        net.elect(leader);
        net.tickAll();
        return net;
    }

    /** The follower misses {@code n} committed entries (its messages are lost meanwhile). */
    private static void leaveBehind(Network net, String follower, int n) {
        net.isolate(follower);
        for (int i = 0; i < n; i++) {
            net.propose("a", "w" + i);
        }
        net.deliverAll();
        net.heal(follower);
    }

    private static long timeoutNowsSent(Network net) {
        return net.sent.stream().filter(TimeoutNow.class::isInstance).count();
    }

    @Test
    void timeoutNowIsSentOnlyOnceTheTargetHoldsTheLeadersWholeLog() {
        Network net = clusterLedBy("a", 51);
        leaveBehind(net, "c", 3);
        RaftNode a = net.node("a");
        AtomicReference<List<Long>> targetLogWhenSent = new AtomicReference<>();
        net.dropWhere(m -> {
            if (m instanceof TimeoutNow && targetLogWhenSent.get() == null) {
                targetLogWhenSent.set(
                        net.disk("c").entries.stream().map(LogEntry::term).toList());
            }
            return false;
        });

        a.transferLeadership("c");
        net.flush("a");
        assertThat(net.inFlight()).as("c is 3 entries behind").noneMatch(TimeoutNow.class::isInstance);
        List<Long> leaderLog = terms(a);

        net.tickUntil(() -> net.node("c").role() == Role.LEADER, T, "c leads");

        assertThat(targetLogWhenSent.get())
                .as("c's durable log when TimeoutNow left")
                .isEqualTo(leaderLog);
        assertThat(timeoutNowsSent(net)).isEqualTo(1);
    }

    @Test
    void timeoutNowIsSentAtOnceToATargetThatIsAlreadyUpToDate() {
        Network net = clusterLedBy("a", 52);

        net.node("a").transferLeadership("b");
        net.flush("a");

        assertThat(net.inFlight())
                .filteredOn(TimeoutNow.class::isInstance)
                .singleElement()
                .isEqualTo(new TimeoutNow("a", "b", net.node("a").term()));
    }

    @Test
    void proposalsAndReadsAreRefusedWhileLeadershipIsBeingTransferred() {
        Network net = clusterLedBy("a", 53);
        leaveBehind(net, "c", 1);
        RaftNode a = net.node("a");

        a.transferLeadership("c");
        net.flush("a");

        assertThat(a.isTransferringLeadership()).isTrue();
        assertThat(a.role()).isEqualTo(Role.LEADER);
        assertThatThrownBy(() -> a.propose(bytes("x")))
                .isInstanceOfSatisfying(
                        NotLeaderException.class,
                        e -> assertThat(e.leaderHint()).isEqualTo("c"));
        assertThatThrownBy(() -> a.readIndex(1)).isInstanceOf(NotLeaderException.class);
    }

    @Test
    void transferTargetBecomesLeaderAlthoughTheOtherFollowerStillHearsTheLeader() {
        Network net = clusterLedBy("a", 54);
        long term = net.node("a").term();

        net.node("a").transferLeadership("c");
        net.flush("a");
        net.deliverAll(); // no tick: nobody's election timer runs out, stickiness would refuse a normal campaign

        RaftNode c = net.node("c");
        assertThat(c.role()).isEqualTo(Role.LEADER);
        assertThat(c.term()).isEqualTo(term + 1);
        assertThat(net.sent)
                .filteredOn(m -> m instanceof VoteRequest vr && vr.from().equals("c") && vr.term() > term)
                .hasSize(2)
                .allSatisfy(m -> assertThat(((VoteRequest) m).transfer()).isTrue());
        assertThat(net.node("a").role()).isEqualTo(Role.FOLLOWER);
        assertThat(net.node("a").leaderId()).isEqualTo("c");
        assertThat(net.node("b").leaderId()).isEqualTo("c");

        long index = net.propose("c", "after transfer");
        net.deliverAll();
        assertThat(c.commitIndex()).isEqualTo(index);
    }

    @Test
    void transferToAnUnreachableTargetIsAbandonedAfterAnElectionTimeoutAndProposalsWorkAgain() {
        Network net = clusterLedBy("a", 55);
        leaveBehind(net, "c", 1);
        net.isolate("c");
        RaftNode a = net.node("a");
        long term = a.term();

        a.transferLeadership("c");
        net.flush("a");
        net.tickAll(T - 1);
        assertThat(a.isTransferringLeadership()).isTrue();
        assertThatThrownBy(() -> a.propose(bytes("too early"))).isInstanceOf(NotLeaderException.class);

        net.tickAll();

        assertThat(a.isTransferringLeadership()).isFalse();
        assertThat(a.role()).isEqualTo(Role.LEADER);
        assertThat(a.term()).isEqualTo(term);
        assertThat(timeoutNowsSent(net)).as("c never caught up").isZero();
        long index = net.propose("a", "x");
        net.deliverAll();
        assertThat(a.commitIndex()).isEqualTo(index);
    }

    @Test
    void leaderWhoseTimeoutNowGotLostStepsDownAfterAnElectionTimeout() {
        Network net = clusterLedBy("a", 56);
        net.dropWhere(m -> m instanceof TimeoutNow);
        RaftNode a = net.node("a");
        long term = a.term();

        a.transferLeadership("c");
        net.flush("a");
        assertThat(timeoutNowsSent(net)).isEqualTo(1);
        net.tickAll(T - 1);
        assertThat(a.role()).isEqualTo(Role.LEADER);

        net.tickAll();

        // The target may still be campaigning past stickiness, so a does not keep leading this term.
        assertThat(a.role()).isEqualTo(Role.FOLLOWER);
        assertThat(a.term()).isEqualTo(term);
        net.tickUntil(() -> net.leader() != null, 3 * T, "a new election");
        assertThat(net.leader().term()).isGreaterThan(term);
    }

    @Test
    void retargetedTransferSendsTimeoutNowToTheNewTargetOnceItCatchesUp() {
        Network net = clusterLedBy("a", 57);
        leaveBehind(net, "c", 2);
        net.dropWhere(m -> m instanceof TimeoutNow && m.to().equals("b"));
        RaftNode a = net.node("a");

        a.transferLeadership("b"); // b is up to date: TimeoutNow leaves at once, and is lost
        net.flush("a");
        a.transferLeadership("c"); // the operator changes its mind; c is 2 entries behind
        net.flush("a");

        net.tickUntil(() -> net.node("c").role() == Role.LEADER, T - 1, "c leads");
        assertThat(net.sent)
                .filteredOn(m -> m instanceof TimeoutNow && m.to().equals("c"))
                .hasSize(1);
    }

    @Test
    void stepDownHandsLeadershipToTheMostUpToDateVoter() {
        Network net = clusterLedBy("a", 58);
        leaveBehind(net, "c", 2);

        String chosen = net.node("a").stepDown();
        net.flush("a");
        net.tickUntil(() -> net.node("b").role() == Role.LEADER, T - 1, "b leads");

        assertThat(chosen).isEqualTo("b");
    }

    @Test
    void stepDownWithNoVoterHoldingTheWholeLogHandsOverToTheFirstThatAcknowledgesIt() {
        Network net = clusterLedBy("a", 60);
        RaftNode a = net.node("a");
        // b (the lowest id, so the pick among equals) is slow: its messages wait.
        net.holdWhere(m -> m.from().equals("b") || m.to().equals("b"));
        net.propose("a", "withdraw my roles"); // appended a moment before the stop: no voter has it yet

        assertThat(a.stepDown())
                .as("the most up-to-date voter now, one of two equals")
                .isEqualTo("b");
        net.flush("a");
        assertThat(a.isTransferringLeadership())
                .as("no voter holds the whole log yet: a still leads, lease included")
                .isFalse();
        assertThat(net.leaseHolders()).containsExactly("a");

        net.deliverAll(); // c acknowledges the entry first, and a hands over to it at once
        net.tickUntil(() -> net.node("c").role() == Role.LEADER, T - 1, "c leads");
        assertThat(net.sent)
                .filteredOn(TimeoutNow.class::isInstance)
                .extracting(m -> m.to())
                .containsExactly("c");
    }

    @Test
    void stepDownHandsOverToTheMostUpToDateVoterAnywayWhenNoneCatchesUpWithinTwoHeartbeats() {
        Network net = clusterLedBy("a", 61);
        RaftNode a = net.node("a");
        net.holdWhere(
                m -> m.from().equals("b") || m.to().equals("b") || m.from().equals("c") || m.to().equals("c"));
        net.propose("a", "late");

        a.stepDown();
        net.flush("a");
        net.tickOnly("a");
        assertThat(a.isTransferringLeadership())
                .as("still waiting after one heartbeat")
                .isFalse();
        net.tickOnly("a");
        assertThat(a.transferTarget())
                .as("after two heartbeats: the pick among equals")
                .isEqualTo("b");
        net.releaseHeld();
        net.tickUntil(() -> net.node("b").role() == Role.LEADER, T - 1, "b leads");
    }

    @Test
    void stepDownPrefersAVoterThatStillAnswersOverTheLowestIdThatStopped() {
        Network net = clusterLedBy("a", 58);
        // b (the lowest id, as up to date as c) stops, as a follower stopped just before the leader.
        net.crash("b");
        net.tickAll(3 * net.config().heartbeatTicks());

        String chosen = net.node("a").stepDown();
        net.flush("a");
        net.tickUntil(() -> net.node("c").role() == Role.LEADER, T - 1, "c leads");

        assertThat(chosen).isEqualTo("c");
    }

    @Test
    void leadershipCannotBeTransferredToALearnerOrByAFollower() {
        Network net = new Network(
                ProtocolSettings.of(new Membership(java.util.Set.of("a", "b", "c"), java.util.Set.of("l"))), 59);
        net.elect("a");

        assertThatThrownBy(() -> net.node("a").transferLeadership("l")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> net.node("b").transferLeadership("c")).isInstanceOf(NotLeaderException.class);
        assertThat(net.node("a").isTransferringLeadership()).isFalse();
    }
}
