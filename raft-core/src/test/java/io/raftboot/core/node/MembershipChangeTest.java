package io.raftboot.core.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftboot.core.log.EntryType;
import io.raftboot.core.log.LogEntry;
import io.raftboot.core.message.AppendEntries;
import io.raftboot.core.message.VoteRequest;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Single-server membership changes (thesis §4.1-§4.2), on the in-memory network. */
class MembershipChangeTest {

    private static Network ledByA(long seed) {
        Network net = Network.ofThreeLedByA(seed);
        net.tickAll(3); // the no-op of a's term commits
        return net;
    }

    private static long change(Network net, String leader, MembershipChange change) {
        long index = net.node(leader).changeMembership(change);
        net.flush(leader);
        return index;
    }

    @Test
    void anIdOrAddressTooLongToBeWrittenIsRefusedBeforeItReachesTheLog() {
        String longId = "n".repeat(Membership.MAX_ID_CHARS + 1);
        // DataOutput.writeUTF fails beyond 65,535 bytes: such a change reached the log and stopped the node.
        assertThatThrownBy(() -> new MembershipChange.AddLearner(longId, "h:1", true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than " + Membership.MAX_ID_CHARS);
        assertThatThrownBy(() -> new MembershipChange.ChangeAddress("a", "h".repeat(70_000) + ":1")
                        .applyTo(Membership.ofVoters("a", "b", "c")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("characters");
        Membership longest = new Membership(
                Set.of("n".repeat(Membership.MAX_ID_CHARS)),
                Set.of(),
                Set.of(),
                java.util.Map.of("n".repeat(Membership.MAX_ID_CHARS), "h".repeat(Membership.MAX_ID_CHARS) + ":65535"));
        assertThat(MembershipCodec.decode(MembershipCodec.encode(longest))).isEqualTo(longest);
    }

    @Test
    void aNewNodeJoinsAsALearnerCatchesUpAndIsPromotedToVoterByTheLeader() {
        Network net = ledByA(1);
        net.propose("a", "x");
        net.deliverAll();
        net.join("d");

        long index = change(net, "a", new MembershipChange.AddLearner("d", "10.0.0.4:9090", true));
        assertThat(net.node("a").membership().learners()).containsExactly("d");
        net.tickUntil(() -> net.node("a").membership().isVoter("d"), 200, "d promoted");
        net.tickAll(5);

        for (String id : Set.of("a", "b", "c", "d")) {
            RaftNode n = net.node(id);
            assertThat(n.membership().voters()).as(id).containsExactlyInAnyOrder("a", "b", "c", "d");
            assertThat(n.membership().joining()).as(id).isEmpty();
            assertThat(n.membership().address("d")).as(id).isEqualTo("10.0.0.4:9090");
            assertThat(n.membershipIndex()).as(id).isGreaterThan(index);
        }
        assertThat(net.node("d").role()).isEqualTo(Role.FOLLOWER);
        assertThat(net.stateMachine("d")).containsExactly("x");
        assertThat(net.node("a").membership().quorum()).isEqualTo(3);
    }

    @Test
    void aLearnerThatNeverAnswersIsNotPromoted() {
        Network net = ledByA(11); // a short log: "within one append of the leader" holds at once
        net.dropWhere(m -> m.to().equals("d")); // d is not running, or its address is wrong
        change(net, "a", new MembershipChange.AddLearner("d", "h:4", true));
        net.tickAll(5 * net.config().electionTicks());

        assertThat(net.node("a").membership().voters()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(net.node("a").membership().joining()).containsExactly("d");
        assertThat(net.node("a").role()).isEqualTo(Role.LEADER);
    }

    @Test
    void aSecondChangeWaitsUntilTheFirstCommitted() {
        Network net = ledByA(2);
        net.dropWhere(m -> m instanceof AppendEntries ae && !ae.entries().isEmpty());
        change(net, "a", new MembershipChange.AddLearner("d", null, false));

        assertThatThrownBy(() -> net.node("a").changeMembership(new MembershipChange.AddLearner("e", null, false)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not committed yet");
    }

    @Test
    void aNewLeaderChangesNothingBeforeItCommittedAnEntryOfItsTerm() {
        Network net = Network.ofThree(3);
        net.dropWhere(m -> m instanceof io.raftboot.core.message.AppendResponse);
        net.elect("a");

        assertThatThrownBy(() -> net.node("a").changeMembership(new MembershipChange.AddLearner("d", null, false)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has not committed an entry of its term");
    }

    @Test
    void aChangeThatCannotApplyIsRefusedWithTheReason() {
        Network net = ledByA(4);
        assertThatThrownBy(() -> net.node("a").changeMembership(new MembershipChange.Promote("b")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already a voter");
        assertThatThrownBy(() -> net.node("b").changeMembership(new MembershipChange.Remove("c")))
                .isInstanceOf(NotLeaderException.class);
    }

    @Test
    void aLeaderThatRemovesItselfLeadsUntilTheChangeCommitsThenStepsDownAndCannotDisruptTheOthers() {
        Network net = ledByA(5);
        long index = change(net, "a", new MembershipChange.Remove("a"));
        net.deliverAll();
        net.tickAll();

        assertThat(net.node("b").commitIndex()).isGreaterThanOrEqualTo(index);
        assertThat(net.node("a").role()).isEqualTo(Role.LEARNER);
        net.tickUntil(() -> net.leader() != null && !net.leader().id().equals("a"), 200, "b or c leads");
        String leader = net.leader().id();
        assertThat(net.node(leader).membership().voters()).containsExactlyInAnyOrder("b", "c");

        // The removed server never campaigns: nothing it could send disturbs b and c.
        long term = net.node(leader).term();
        int sentBefore = net.sent.size();
        net.tickAll(5 * net.config().electionTicks());
        assertThat(net.sent.subList(sentBefore, net.sent.size()))
                .noneMatch(m -> m instanceof VoteRequest && m.from().equals("a"));
        assertThat(net.node(leader).term()).isEqualTo(term);
        assertThat(net.leader().id()).isEqualTo(leader);
    }

    @Test
    void aRemovedServerCannotDisruptVotersThatHearTheirLeader() {
        Network net = ledByA(6);
        change(net, "a", new MembershipChange.Remove("c"));
        net.tickAll(3);
        assertThat(net.node("b").membership().voters()).containsExactlyInAnyOrder("a", "b");

        RaftNode b = net.node("b");
        long term = b.term();
        Network.stepAlone(b, new VoteRequest("c", "b", term + 5, 100, term + 5, false, false));
        assertThat(b.term())
                .as("b hears its leader: stickiness ignores the removed server's campaign (§4.2.3)")
                .isEqualTo(term);
    }

    @Test
    void aFollowerFallsBackToTheEarlierConfigurationWhenAnUncommittedChangeIsOverwritten() {
        RaftNode b = new RaftNode(
                "b", Network.threeVoters(), io.raftboot.core.storage.PersistentState.EMPTY, new java.util.Random(9));
        Membership withD = new MembershipChange.AddLearner("d", null, false).applyTo(b.membership());
        LogEntry change = new LogEntry(2, 1, EntryType.MEMBERSHIP, MembershipCodec.encode(withD));
        Network.stepAlone(b, new AppendEntries("a", "b", 1, 0, 0, List.of(LogEntry.noop(1, 1), change), 1, 0));
        assertThat(b.membership()).as("used as soon as it is in the log").isEqualTo(withD);
        assertThat(b.role()).isEqualTo(Role.FOLLOWER);

        // A leader of term 2 that never had the change overwrites index 2 (§5.3).
        Network.stepAlone(b, new AppendEntries("c", "b", 2, 1, 1, List.of(LogEntry.noop(2, 2)), 1, 0));
        assertThat(b.membership()).isEqualTo(Network.threeVoters().membership());
        assertThat(b.membershipIndex()).isZero();
    }

    @Test
    void theConfigurationIsInTheSnapshotAndSurvivesARestart() {
        Network net = ledByA(8);
        change(net, "a", new MembershipChange.AddLearner("d", "h:1", false));
        net.tickAll(3);
        net.propose("a", "y");
        net.tickAll(3);
        net.compact("b");
        net.crash("b");
        RaftNode b = net.restart("b");

        assertThat(b.membership().learners()).containsExactly("d");
        assertThat(b.membership().address("d")).isEqualTo("h:1");
        assertThat(b.firstIndex()).isGreaterThan(b.membershipIndex());
    }

    @Test
    void removingAMemberDropsItsAddressAndAnyPromotionIntent() {
        Membership m = new Membership(
                Set.of("a", "b", "c"),
                Set.of("d"),
                Set.of("d"),
                java.util.Map.of("a", "h:1", "b", "h:2", "c", "h:3", "d", "h:4"));

        Membership withoutD = new MembershipChange.Remove("d").applyTo(m);
        Membership withoutB = new MembershipChange.Remove("b").applyTo(withoutD);

        assertThat(withoutD.learners()).isEmpty();
        assertThat(withoutD.joining()).isEmpty();
        assertThat(withoutD.addresses()).doesNotContainKey("d");
        assertThat(withoutB.voters()).containsExactlyInAnyOrder("a", "c");
        assertThat(withoutB.addresses()).containsOnlyKeys("a", "c");
    }

    @Test
    void codecRoundTripsEveryPartOfAMembership() {
        Membership m = new Membership(
                Set.of("a", "b"), Set.of("l", "j"), Set.of("j"), java.util.Map.of("a", "h1:1", "j", "h2:2"));
        assertThat(MembershipCodec.decode(MembershipCodec.encode(m))).isEqualTo(m);
        assertThatThrownBy(() -> MembershipCodec.decode(new byte[] {9})).isInstanceOf(IllegalArgumentException.class);
    }
}
