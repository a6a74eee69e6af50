package io.raftboot.core.node;

import static io.raftboot.core.node.Network.persisted;
import static io.raftboot.core.node.Network.terms;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.core.message.AppendEntries;
import io.raftboot.core.message.AppendResponse;
import io.raftboot.core.message.Message;
import io.raftboot.core.storage.HardState;
import io.raftboot.core.storage.PersistentState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Log replication: Raft paper §5.3 (Figure 7), §5.4.2 (Figure 8), batching and flow control. */
class LogReplicationTest {

    /** Figure 7: the leader's log, indexes 1-10, before it is elected for term 8. */
    private static final long[] FIGURE_7_LEADER = {1, 1, 1, 4, 4, 5, 5, 6, 6, 6};

    static Stream<Arguments> figure7Followers() {
        return Stream.of(
                Arguments.of("(a) missing one entry", new long[] {1, 1, 1, 4, 4, 5, 5, 6, 6}),
                Arguments.of("(b) missing many entries", new long[] {1, 1, 1, 4}),
                Arguments.of("(c) one extra uncommitted entry", new long[] {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6}),
                Arguments.of("(d) extra entries of a newer term", new long[] {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7}),
                Arguments.of("(e) missing entries and conflicting ones of term 4", new long[] {1, 1, 1, 4, 4, 4, 4}),
                Arguments.of("(f) conflicting entries of terms 2 and 3", new long[] {1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3}));
    }

    /** Appends a leader that backs up one index per rejection would need, starting at prevLogIndex 10. */
    private static int naiveAppends(long[] follower) {
        int match = 0;
        while (match < Math.min(follower.length, FIGURE_7_LEADER.length) && follower[match] == FIGURE_7_LEADER[match]) {
            match++;
        }
        return FIGURE_7_LEADER.length - match + 1;
    }

    private static long[] concat(long[] head, long... tail) {
        return LongStream.concat(LongStream.of(head), LongStream.of(tail)).toArray();
    }

    private static List<Long> list(long... terms) {
        return LongStream.of(terms).boxed().toList();
    }

    private static long matchOfB(Network net) {
        return net.node("a").peers().stream()
                .filter(p -> p.id().equals("b"))
                .findFirst()
                .orElseThrow()
                .matchIndex();
    }

    private static long count(List<Message> messages, Class<?> type, String from, String to) {
        return messages.stream()
                .filter(m -> type.isInstance(m) && m.from().equals(from) && m.to().equals(to))
                .count();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("figure7Followers")
    void leaderRepairsEveryFigure7FollowerToItsOwnLogWithFastBacktracking(String name, long[] follower) {
        Network net = new Network(
                Network.threeVoters(),
                17,
                Map.of(
                        "a", persisted(7, FIGURE_7_LEADER),
                        "b", persisted(7, follower),
                        "c", persisted(7, FIGURE_7_LEADER)));

        net.elect("a");

        RaftNode a = net.node("a");
        assertThat(a.term()).isEqualTo(8);
        List<Long> expected = list(concat(FIGURE_7_LEADER, 8));
        assertThat(terms(a)).isEqualTo(expected);
        assertThat(terms(net.node("b"))).as("follower %s", name).isEqualTo(expected);
        assertThat(net.disk("b").entries).extracting(e -> e.term()).isEqualTo(expected);
        // Not counted: the empty append at the log's end that announces the new commit index.
        long appends = net.delivered.stream()
                .filter(m -> m instanceof AppendEntries ae
                        && ae.to().equals("b")
                        && !(ae.entries().isEmpty() && ae.prevLogIndex() == a.lastIndex()))
                .count();
        assertThat(appends)
                .as("AppendEntries round trips to %s", name)
                .isLessThanOrEqualTo(Math.min(naiveAppends(follower), 3));
        net.tickAll();
        assertThat(net.node("b").commitIndex()).isEqualTo(11);
    }

    @Test
    void followerFarBehindIsFoundWithOneRejection() {
        long[] leaderLog = new long[100];
        java.util.Arrays.fill(leaderLog, 1);
        Network net = new Network(
                Network.threeVoters(),
                17,
                Map.of(
                        "a", persisted(1, leaderLog),
                        "b", persisted(1, 1, 1, 1),
                        "c", persisted(1, leaderLog)));

        net.elect("a");

        assertThat(count(net.delivered, AppendResponse.class, "b", "a")).isPositive();
        long rejections = net.delivered.stream()
                .filter(m -> m instanceof AppendResponse r && r.from().equals("b") && !r.success())
                .count();
        assertThat(rejections).as("naive backtracking would need 97").isEqualTo(1);
        assertThat(terms(net.node("b"))).isEqualTo(terms(net.node("a")));
    }

    @Test
    void followerWithALongConflictingTermIsRepairedWithOneRejection() {
        long[] leaderLog = new long[100];
        long[] stale = new long[100];
        java.util.Arrays.fill(leaderLog, 3);
        java.util.Arrays.fill(stale, 2);
        leaderLog[0] = stale[0] = 1;
        leaderLog[1] = stale[1] = 1;
        leaderLog[2] = stale[2] = 1;
        Network net = new Network(
                Network.threeVoters(),
                17,
                Map.of(
                        "a", persisted(3, leaderLog),
                        "b", persisted(3, stale),
                        "c", persisted(3, leaderLog)));

        net.elect("a");

        long rejections = net.delivered.stream()
                .filter(m -> m instanceof AppendResponse r && r.from().equals("b") && !r.success())
                .count();
        assertThat(rejections)
                .as("the whole conflicting term 2 is skipped at once (naive: 97)")
                .isEqualTo(1);
        assertThat(terms(net.node("b"))).isEqualTo(terms(net.node("a")));
    }

    // ------------------------------------------------------------------ §5.4.2 / Figure 8

    @Test
    void leaderCommitsAnEntryOfAnEarlierTermOnlyOnceAnEntryOfItsOwnTermCommits() {
        // Figure 8 (c): a leader of term 4 holds entry 2 of term 2; it replicates it to a
        // majority (a, c) but must not count that as committed; only its own no-op commits it.
        HardState term3 = new HardState(3, null, 1);
        Network net = new Network(
                Network.threeVoters().withBatching(1, 1),
                19,
                Map.of(
                        "a", new PersistentState(term3, null, Network.logOfTerms(1, 2)),
                        "b", new PersistentState(term3, null, Network.logOfTerms(1, 3)),
                        "c", new PersistentState(term3, null, Network.logOfTerms(1))));
        net.crash("b");
        net.holdWhere(m -> m instanceof AppendEntries ae
                && ae.to().equals("c")
                && ae.entries().stream().anyMatch(e -> e.term() == 4)
                && net.node("c").lastIndex() >= 2);

        net.elect("a");

        RaftNode a = net.node("a");
        assertThat(a.term()).isEqualTo(4);
        assertThat(net.disk("c").term(2))
                .as("entry 2 of term 2 is stored on a majority (a, c)")
                .isEqualTo(2);
        assertThat(a.peers())
                .filteredOn(p -> p.id().equals("c"))
                .singleElement()
                .satisfies(p -> assertThat(p.matchIndex()).isEqualTo(2));
        assertThat(a.commitIndex())
                .as("replicas of an old-term entry do not commit it")
                .isEqualTo(1);
        assertThat(net.held()).as("the no-op of term 4 is what c still misses").isNotEmpty();

        net.releaseHeld();
        net.deliverAll();

        assertThat(a.commitIndex()).isEqualTo(3);
        assertThat(a.entry(3).term()).isEqualTo(4);
        net.tickAll();
        assertThat(net.node("c").commitIndex()).isEqualTo(3);
        assertThat(net.stateMachine("c")).containsExactly("e1", "e2");
    }

    @Test
    void followerDoesNotCommitBeyondWhatTheLeaderVerifiedInItsLog() {
        // c holds stale entries 2-3 of term 2 beyond the leader's heartbeat; a heartbeat at
        // index 1 with leaderCommit 5 must only commit up to index 1 on c.
        RaftNode c = new RaftNode("c", Network.threeVoters(), persisted(2, 1, 2, 2), new java.util.Random(1));

        Network.stepAlone(c, new AppendEntries("a", "c", 3, 1, 1, List.of(), 5, 1));

        assertThat(c.commitIndex()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ batching and flow control

    @Test
    void appendsCarryAtMostMaxEntriesAndAtMostMaxInflightAreOutstandingPerFollower() {
        Network net = new Network(Network.threeVoters().withBatching(3, 2), 23);
        net.elect("a");
        net.tickAll();

        for (int i = 0; i < 20; i++) {
            net.propose("a", "x" + i);
        }

        List<AppendEntries> toB = net.inFlight().stream()
                .filter(m -> m instanceof AppendEntries ae
                        && ae.to().equals("b")
                        && !ae.entries().isEmpty())
                .map(AppendEntries.class::cast)
                .toList();
        assertThat(toB)
                .as("appends in flight to b right after 20 proposals (each proposal sent at once)")
                .hasSize(2);

        int maxOutstanding = 0;
        for (int i = 0; i < Network.MAX_DELIVERIES && net.deliverNext() != null; i++) {
            int outstanding = 0;
            for (Message m : net.inFlight()) {
                // A response is outstanding work only if it acknowledges entries the leader has
                // not seen acknowledged (not an answer to a commit-index notice).
                if (m instanceof AppendEntries ae
                                && ae.to().equals("b")
                                && !ae.entries().isEmpty()
                        || m instanceof AppendResponse r && r.from().equals("b") && r.matchIndex() > matchOfB(net)) {
                    outstanding++;
                }
            }
            maxOutstanding = Math.max(maxOutstanding, outstanding);
        }
        assertThat(maxOutstanding).isEqualTo(2);
        assertThat(net.sent)
                .filteredOn(m -> m instanceof AppendEntries)
                .allSatisfy(
                        m -> assertThat(((AppendEntries) m).entries().size()).isLessThanOrEqualTo(3))
                .as("the backlog of 18 entries goes in full batches")
                .filteredOn(m -> ((AppendEntries) m).entries().size() == 3)
                .hasSizeGreaterThanOrEqualTo(2 * 5);
        RaftNode a = net.node("a");
        assertThat(a.lastIndex()).isEqualTo(21);
        assertThat(a.commitIndex()).isEqualTo(21);
        assertThat(terms(net.node("b"))).isEqualTo(terms(a));
        assertThat(terms(net.node("c"))).isEqualTo(terms(a));
    }

    @Test
    void followersLearnANewCommitIndexAtOnceNotWithTheNextHeartbeat() {
        Network net = Network.ofThree(29);
        net.elect("a");
        net.tickAll();

        long index = net.propose("a", "x");
        net.deliverAll();

        assertThat(net.node("a").commitIndex()).isEqualTo(index);
        assertThat(net.stateMachine("a")).containsExactly("x");
        // No tick since the proposal: no heartbeat carried the commit index.
        for (String id : List.of("b", "c")) {
            assertThat(net.node(id).commitIndex()).as(id).isEqualTo(index);
            assertThat(net.stateMachine(id)).as(id).containsExactly("x");
            assertThat(net.disk(id).hardState.commit()).as(id).isEqualTo(index);
        }
    }

    @Test
    void everyNodeAppliesTheSameCommandsInTheSameOrder() {
        Network net = Network.ofThree(31);
        net.elect("a");
        List<String> commands = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            commands.add("cmd" + i);
            net.propose("a", "cmd" + i);
            if (i % 7 == 0) {
                net.tickAll();
            }
        }
        net.tickAll(2);

        for (String id : List.of("a", "b", "c")) {
            assertThat(net.stateMachine(id)).as(id).isEqualTo(commands);
        }
    }
}
