package io.raftboot.core.node;

import static io.raftboot.core.node.Network.drain;
import static io.raftboot.core.node.Network.messages;
import static io.raftboot.core.node.Network.stepAlone;
import static io.raftboot.core.node.Network.terms;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.core.message.Message;
import io.raftboot.core.message.VoteRequest;
import io.raftboot.core.message.VoteResponse;
import io.raftboot.core.storage.PersistentState;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Learners: non-voting members that replicate the log (no joint consensus: fixed membership). */
class LearnerTest {

    private static final int T = 10;
    private static final ProtocolSettings WITH_LEARNER =
            ProtocolSettings.of(new Membership(Set.of("a", "b", "c"), Set.of("l")));

    @Test
    void learnerReplicatesTheLogAndKnowsTheLeader() {
        Network net = new Network(WITH_LEARNER, 61);
        net.elect("a");

        net.propose("a", "x");
        net.deliverAll();
        net.tickAll();

        RaftNode l = net.node("l");
        assertThat(l.role()).isEqualTo(Role.LEARNER);
        assertThat(l.leaderId()).isEqualTo("a");
        assertThat(l.term()).isEqualTo(net.node("a").term());
        assertThat(terms(l)).isEqualTo(terms(net.node("a")));
        assertThat(l.commitIndex()).isEqualTo(net.node("a").commitIndex());
        assertThat(net.stateMachine("l")).containsExactly("x");
    }

    @Test
    void learnerNeverCampaignsEvenWhenItHearsNoLeader() {
        RaftNode l = new RaftNode("l", WITH_LEARNER, PersistentState.EMPTY, new Random(1));

        for (int i = 0; i < 20 * T; i++) {
            l.tick();
            assertThat(messages(drain(l))).isEmpty();
        }

        assertThat(l.role()).isEqualTo(Role.LEARNER);
        assertThat(l.term()).isZero();
    }

    @Test
    void learnerStaysQuietWhenTheLeaderIsGone() {
        Network net = new Network(WITH_LEARNER, 62);
        net.elect("a");
        net.crash("a");

        net.tickAll(10 * T);

        assertThat(net.sent)
                .filteredOn(m -> m instanceof VoteRequest && m.from().equals("l"))
                .isEmpty();
        assertThat(net.node("l").role()).isEqualTo(Role.LEARNER);
        assertThat(net.leader()).as("b or c took over").isNotNull();
        assertThat(net.node("l").leaderId()).isEqualTo(net.leader().id());
    }

    @Test
    void candidatesDoNotAskLearnersForVotesButALearnerAskedAnswersLikeAVoter() {
        Network net = new Network(WITH_LEARNER, 63);
        net.elect("a");
        assertThat(net.sent)
                .filteredOn(m -> m instanceof VoteRequest && m.to().equals("l"))
                .isEmpty();

        // A candidate whose log already promoted l asks it (thesis §4.1): l answers, and records
        // its vote, one per term; only the candidate's configuration decides whether it counts.
        RaftNode l = new RaftNode("l", WITH_LEARNER.withCheckQuorum(false), PersistentState.EMPTY, new Random(1));
        List<Message> out = messages(stepAlone(l, new VoteRequest("a", "l", 1, 0, 0, false, false)));

        assertThat(out)
                .singleElement()
                .isInstanceOfSatisfying(
                        VoteResponse.class, r -> assertThat(r.granted()).isTrue());
        assertThat(l.votedFor()).isEqualTo("a");
        assertThat(l.role()).isEqualTo(Role.LEARNER);
    }

    @Test
    void learnerAcknowledgementDoesNotCountTowardTheCommitQuorum() {
        Network net = new Network(WITH_LEARNER, 64);
        net.elect("a");
        net.tickAll();
        RaftNode a = net.node("a");
        net.crash("b");
        net.crash("c");

        long index = net.propose("a", "x");
        net.deliverAll();

        assertThat(a.peers())
                .filteredOn(p -> p.id().equals("l"))
                .singleElement()
                .satisfies(p ->
                        assertThat(p.matchIndex()).as("the learner stored it").isEqualTo(index));
        assertThat(a.commitIndex())
                .as("1 voter of 3 plus a learner is no quorum")
                .isLessThan(index);
        assertThat(net.stateMachine("a")).isEmpty();

        net.restart("b");
        net.tickUntil(() -> a.commitIndex() == index, T - 2, "x commits once b is back");
        assertThat(net.stateMachine("a")).containsExactly("x");
    }
}
