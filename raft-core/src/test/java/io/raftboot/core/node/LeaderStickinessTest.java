package io.raftboot.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.core.message.AppendEntries;
import io.raftboot.core.message.Message;
import io.raftboot.core.message.VoteRequest;
import io.raftboot.core.message.VoteResponse;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Leader stickiness (thesis §4.2.3 and §9.6): a voter that heard a current leader within the
 * election timeout neither adopts another candidate's term nor grants it a vote or a pre-vote,
 * so a leader still in touch with a majority is never deposed by a node of the minority. The
 * rule is enforced in two places of {@link RaftNode}: {@code step} refuses higher-term vote
 * requests without adopting their term, and {@code handleVoteRequest} refuses the vote (and the
 * pre-vote) itself. With pre-vote on, each alone keeps a leader in place, so most tests here
 * fail only when both are gone; {@link #aLeaderDeposedByAHigherTermStillRefusesItsVoteForAnElectionTimeout}
 * and {@link #withoutPreVoteACampaigningFollowerThatCannotHearTheLeaderNeverDeposesIt} pin each
 * check on its own.
 */
class LeaderStickinessTest {

    private static final int T = 10;

    private static Predicate<Message> link(String from, String to) {
        return m -> m.from().equals(from) && m.to().equals(to);
    }

    private static void assertLeadsUndisturbed(Network net, String leader, long term) {
        assertThat(net.node(leader).role()).as("%s still leads", leader).isEqualTo(Role.LEADER);
        assertThat(net.node(leader).term()).as("%s's term", leader).isEqualTo(term);
        assertThat(net.leaders()).as("leaders").extracting(RaftNode::id).containsExactly(leader);
    }

    @Test
    void withPreVoteAFollowerThatCannotHearTheLeaderNeverDeposesIt() {
        // c hears nothing from the leader (a one-way link failure) but reaches everyone: its
        // election timer fires again and again and its pre-votes arrive at a and b, who still hear
        // the leader and refuse them.
        Network net = Network.ofThreeLedByA(301);
        long term = net.node("a").term();
        net.dropWhere(link("a", "c"));

        net.tickAll(10 * T);

        assertThat(net.sent)
                .as("c's pre-votes")
                .filteredOn(m -> m instanceof VoteRequest vr && vr.from().equals("c"))
                .isNotEmpty();
        assertThat(net.sent)
                .as("votes and pre-votes granted to c")
                .filteredOn(m -> m instanceof VoteResponse vr && vr.to().equals("c") && vr.granted())
                .isEmpty();
        assertLeadsUndisturbed(net, "a", term);
        assertThat(net.node("b").term()).isEqualTo(term);
        assertThat(net.node("c").term()).as("a failed pre-vote changes no term").isEqualTo(term);
    }

    @Test
    void withoutPreVoteACampaigningFollowerThatCannotHearTheLeaderNeverDeposesIt() {
        // Without pre-vote, c's real elections raise its term each time; the leader and b refuse
        // them without adopting that term (the check in step), so a keeps leading. Once c hears
        // the leader again its answer deposes it: pre-vote is what prevents that (ElectionTest).
        Network net = new Network(Network.threeVoters().withPreVote(false), 302);
        net.elect("a");
        net.tickAll();
        long term = net.node("a").term();
        net.dropWhere(link("a", "c"));

        net.tickAll(10 * T);

        assertThat(net.node("c").term()).as("c campaigned").isGreaterThan(term + 1);
        assertLeadsUndisturbed(net, "a", term);
        assertThat(net.node("b").term()).isEqualTo(term);
        assertThat(net.node("b").leaderId()).isEqualTo("a");
    }

    @Test
    void aMinorityThatCannotHearTheLeaderNeverDeposesIt() {
        // Five voters: d and e no longer hear the leader (its links to them fail one way), all
        // other links work. Both campaign and grant each other's pre-votes; b and c, who hear the
        // leader, refuse them, so the minority never reaches a majority.
        Network net = new Network(ProtocolSettings.of(Membership.ofVoters("a", "b", "c", "d", "e")), 303);
        net.elect("a");
        net.tickAll();
        long term = net.node("a").term();
        net.dropWhere(link("a", "d").or(link("a", "e")));

        net.tickAll(10 * T);

        assertLeadsUndisturbed(net, "a", term);
        for (String id : Set.of("a", "b", "c")) {
            assertThat(net.node(id).term()).as(id).isEqualTo(term);
        }
    }

    @Test
    void aFlappingMinorityNodeNeverDeposesTheLeader() {
        // The leader's appends to c flap: lost long enough for c's election timer to fire (it
        // pre-votes, and hears the answers), then delivered for a tick or two (it follows the
        // leader again), over and over.
        Network net = Network.ofThreeLedByA(304);
        long term = net.node("a").term();
        AtomicBoolean cDeaf = new AtomicBoolean();
        net.dropWhere(
                m -> cDeaf.get() && m instanceof AppendEntries && link("a", "c").test(m));

        for (int flap = 0; flap < 20; flap++) {
            cDeaf.set(true);
            net.tickAll(2 * T + flap % 5);
            cDeaf.set(false);
            net.tickAll(1 + flap % 2);
        }

        assertThat(net.sent)
                .as("c's pre-votes")
                .filteredOn(m -> m instanceof VoteRequest vr && vr.from().equals("c"))
                .isNotEmpty();
        assertLeadsUndisturbed(net, "a", term);
        assertThat(net.maxTerm()).as("highest term anywhere").isEqualTo(term);
    }

    @Test
    void aLeaderDeposedByAHigherTermStillRefusesItsVoteForAnElectionTimeout() {
        // Without pre-vote, c comes back from a partition with a higher term and deposes a by its
        // answer to a's heartbeat (by design: ElectionTest). a heard a leader (itself) a moment
        // ago, so it must not grant c's vote request of that very term, which the network
        // delivers late (§4.2.3: no vote within the election timeout of hearing a leader). The
        // check is the one in handleVoteRequest: the request carries a's new term, so step's
        // higher-term check does not see it.
        Network net = new Network(Network.threeVoters().withPreVote(false), 305);
        net.elect("a");
        net.tickAll();
        long term = net.node("a").term();
        // c is cut off; its vote requests to a are not lost but late: held until released.
        Predicate<Message> cRequestToA =
                m -> m instanceof VoteRequest && link("c", "a").test(m);
        net.holdWhere(cRequestToA);
        net.dropWhere(m -> (m.from().equals("c") || m.to().equals("c")) && !cRequestToA.test(m));
        net.tickUntil(() -> net.node("c").term() > term + 1, 5 * T, "c campaigns in its partition");
        net.heal();

        net.tickUntil(() -> net.node("a").role() != Role.LEADER, 3, "c's answer to a heartbeat deposes a");
        long disruptiveTerm = net.node("a").term();
        assertThat(disruptiveTerm).isEqualTo(net.node("c").term());
        net.releaseHeldWhere(m -> m.term() == disruptiveTerm);
        net.deliverAll();

        assertThat(net.sent)
                .as("a's answers to c's vote request of term %d", disruptiveTerm)
                .filteredOn(m -> m instanceof VoteResponse vr
                        && vr.from().equals("a")
                        && vr.to().equals("c")
                        && vr.term() == disruptiveTerm)
                .isNotEmpty()
                .allSatisfy(m -> assertThat(((VoteResponse) m).granted()).isFalse());
        assertThat(net.node("c").role()).isNotEqualTo(Role.LEADER);
    }
}
