package io.raftboot.core.node;

import static io.raftboot.core.node.Network.drain;
import static io.raftboot.core.node.Network.stepAlone;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.core.message.AppendEntries;
import io.raftboot.core.message.Message;
import io.raftboot.core.message.TimeoutNow;
import io.raftboot.core.message.VoteRequest;
import io.raftboot.core.message.VoteResponse;
import io.raftboot.core.storage.HardState;
import io.raftboot.core.storage.PersistentState;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Regressions of well-known Raft library bugs around votes and durability: what a message
 * promises must be in the same (or an earlier) Ready's hard state, because the caller persists a
 * Ready before it sends its messages.
 */
class DurabilityRegressionTest {

    private static final int T = 10;
    private static final ProtocolSettings PLAIN =
            Network.threeVoters().withPreVote(false).withCheckQuorum(false);

    private static Ready readyCarrying(
            List<Ready> readies, Class<? extends Message> type, java.util.function.Predicate<Message> which) {
        List<Ready> matching = readies.stream()
                .filter(r -> r.messages().stream().anyMatch(m -> type.isInstance(m) && which.test(m)))
                .toList();
        assertThat(matching)
                .as("Readies carrying such a %s", type.getSimpleName())
                .hasSize(1);
        return matching.get(0);
    }

    private static List<Ready> tickUntilCandidate(RaftNode n) {
        List<Ready> readies = new ArrayList<>();
        for (int i = 0; i < 3 * T && n.role() != Role.CANDIDATE; i++) {
            n.tick();
            readies.addAll(drain(n));
        }
        assertThat(n.role()).isEqualTo(Role.CANDIDATE);
        return readies;
    }

    private static VoteResponse responseTo(Network net, String candidate) {
        List<Message> responses = net.discardWhere(m -> m instanceof VoteResponse && m.to().equals(candidate));
        assertThat(responses).hasSize(1);
        return (VoteResponse) responses.get(0);
    }

    @Test
    void grantedVoteLeavesInTheSameReadyAsTheHardStateThatRecordsIt() {
        RaftNode a = new RaftNode("a", PLAIN, PersistentState.EMPTY, new Random(1));

        List<Ready> readies = stepAlone(a, new VoteRequest("b", "a", 1, 0, 0, false, false));

        Ready grant = readyCarrying(readies, VoteResponse.class, m -> ((VoteResponse) m).granted());
        assertThat(grant.hardState()).isEqualTo(new HardState(1, "b", 0));
        assertThat(grant.mustPersist()).isTrue();
    }

    @Test
    void grantedVoteOfAnAlreadyKnownTermAlsoCarriesItsHardState() {
        // The term is adopted first (from a refused candidate), the vote comes in a later step.
        RaftNode a = new RaftNode("a", PLAIN, Network.persisted(1, 1), new Random(1));
        stepAlone(a, new VoteRequest("b", "a", 2, 0, 0, false, false)); // refused: shorter log, term 2 adopted

        List<Ready> readies = stepAlone(a, new VoteRequest("c", "a", 2, 1, 1, false, false));

        Ready grant = readyCarrying(readies, VoteResponse.class, m -> ((VoteResponse) m).granted());
        assertThat(grant.hardState()).isEqualTo(new HardState(2, "c", 0));
    }

    @Test
    void voteRequestsLeaveInTheSameReadyAsTheDurableSelfVote() {
        RaftNode a = new RaftNode("a", PLAIN, PersistentState.EMPTY, new Random(1));

        List<Ready> readies = tickUntilCandidate(a);

        Ready campaign = readyCarrying(readies, VoteRequest.class, m -> true);
        assertThat(campaign.hardState()).isEqualTo(new HardState(1, "a", 0));
        assertThat(campaign.messages())
                .filteredOn(VoteRequest.class::isInstance)
                .hasSize(2);
    }

    @Test
    void preVoteChangesNothingDurableAndTheRealElectionCarriesTheSelfVote() {
        RaftNode a = new RaftNode("a", Network.threeVoters(), PersistentState.EMPTY, new Random(1));

        List<Ready> preVote = tickUntilCandidate(a);
        Ready probe = readyCarrying(preVote, VoteRequest.class, m -> ((VoteRequest) m).preVote());
        assertThat(probe.hardState()).as("a pre-vote persists nothing").isNull();
        assertThat(a.term()).isZero();

        List<Ready> election = stepAlone(a, new VoteResponse("b", "a", 1, true, true));

        Ready campaign = readyCarrying(election, VoteRequest.class, m -> !((VoteRequest) m).preVote());
        assertThat(campaign.hardState()).isEqualTo(new HardState(1, "a", 0));
    }

    @Test
    void transferCampaignCarriesTheSelfVoteInTheSameReady() {
        RaftNode a = new RaftNode("a", Network.threeVoters(), PersistentState.EMPTY, new Random(1));
        stepAlone(a, new AppendEntries("b", "a", 1, 0, 0, List.of(), 0, 1));

        List<Ready> readies = stepAlone(a, new TimeoutNow("b", "a", 1));

        Ready campaign = readyCarrying(readies, VoteRequest.class, m -> ((VoteRequest) m).transfer());
        assertThat(campaign.hardState()).isEqualTo(new HardState(2, "a", 0));
    }

    @Test
    void leaderThatStepsDownInTheSameTermKeepsItsVote() {
        Network net = Network.ofThree(101);
        net.elect("a");
        net.tickAll();
        RaftNode a = net.node("a");
        long term = a.term();
        net.isolate("a");
        net.tickAll(2 * T); // check-quorum
        assertThat(a.role()).isEqualTo(Role.FOLLOWER);
        assertThat(a.term()).isEqualTo(term);

        assertThat(a.votedFor()).isEqualTo("a");
        assertThat(net.disk("a").hardState.votedFor()).isEqualTo("a");
        net.heal();
        net.discardWhere(m -> true);
        // transfer=true so that stickiness is not what refuses it
        net.deliver(new VoteRequest("b", "a", term, 100, term, false, true));
        assertThat(responseTo(net, "b").granted())
                .as("a second vote in term %d", term)
                .isFalse();
    }

    @Test
    void restartedNodeRemembersItsVote() {
        Network net = new Network(PLAIN, 102);
        net.deliver(new VoteRequest("b", "a", 1, 0, 0, false, false));
        assertThat(responseTo(net, "b").granted()).isTrue();

        net.crash("a");
        RaftNode a = net.restart("a");

        assertThat(a.term()).isEqualTo(1);
        assertThat(a.votedFor()).isEqualTo("b");
        net.deliver(new VoteRequest("c", "a", 1, 0, 0, false, false));
        assertThat(responseTo(net, "c").granted())
                .as("another candidate of the same term")
                .isFalse();
        net.deliver(new VoteRequest("b", "a", 1, 0, 0, false, false));
        assertThat(responseTo(net, "b").granted())
                .as("the same candidate again")
                .isTrue();
    }

    @Test
    void restartedNodeGrantsNoOrdinaryVoteWithinAnElectionTimeoutOfStarting() {
        Network net = Network.ofThree(103);
        net.elect("a");
        net.tickAll();
        net.crash("a");
        net.crash("b");
        RaftNode b = net.restart("b");
        long term = b.term();

        for (int tick = 0; tick < T; tick++) {
            net.deliver(new VoteRequest("c", "b", term + 1, b.lastIndex(), b.lastTerm(), true, false));
            assertThat(responseTo(net, "c").granted())
                    .as("pre-vote %d ticks after start", tick)
                    .isFalse();
            net.deliver(new VoteRequest("c", "b", term + 1, b.lastIndex(), b.lastTerm(), false, false));
            assertThat(responseTo(net, "c").granted())
                    .as("vote %d ticks after start", tick)
                    .isFalse();
            assertThat(b.term()).isEqualTo(term);
            net.tickOnly("b");
            net.discardWhere(m -> true); // b's own campaign, if it starts one
        }

        net.deliver(new VoteRequest("c", "b", term + 1, b.lastIndex(), b.lastTerm(), false, false));
        assertThat(responseTo(net, "c").granted())
                .as("vote %d ticks after start", T)
                .isTrue();
    }

    @Test
    void restartedNodeGrantsATransferVoteAtOnce() {
        Network net = Network.ofThree(104);
        net.elect("a");
        net.tickAll();
        net.crash("b");
        RaftNode b = net.restart("b");

        net.deliver(new VoteRequest("c", "b", b.term() + 1, b.lastIndex(), b.lastTerm(), false, true));

        assertThat(responseTo(net, "c").granted()).isTrue();
    }
}
