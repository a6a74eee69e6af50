package io.raftboot.core.node;

import static io.raftboot.core.node.Network.messages;
import static io.raftboot.core.node.Network.persisted;
import static io.raftboot.core.node.Network.stepAlone;
import static io.raftboot.core.node.Network.terms;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.core.message.InstallSnapshot;
import io.raftboot.core.message.Message;
import io.raftboot.core.message.SnapshotResponse;
import io.raftboot.core.storage.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Log compaction and InstallSnapshot (Raft paper §7, Figure 13). */
class SnapshotTest {

    private static final int T = 10;

    /** a leads; c was cut off while 10 commands committed, then a compacted its log, then 3 more commands. */
    private static Network compactedWhileCWasAway(List<String> commands) {
        Network net = Network.ofThree(71);
        net.elect("a");
        net.tickAll();
        net.isolate("c");
        for (int i = 0; i < 10; i++) {
            commands.add("before" + i);
            net.propose("a", "before" + i);
        }
        net.deliverAll();
        net.tickAll();
        assertThat(net.node("a").appliedIndex()).isEqualTo(11);
        return net;
    }

    @Test
    void followerFarBehindGetsASnapshotAndThenTheEntriesAfterIt() {
        List<String> commands = new ArrayList<>();
        Network net = compactedWhileCWasAway(commands);
        RaftNode a = net.node("a");
        Snapshot s = net.compact("a");
        assertThat(a.firstIndex()).isEqualTo(12);
        for (int i = 0; i < 3; i++) {
            commands.add("after" + i);
            net.propose("a", "after" + i);
        }
        net.deliverAll();
        RaftNode c = net.node("c");
        assertThat(c.lastIndex()).as("c lacks entries the leader no longer has").isLessThan(a.firstIndex() - 1);

        net.heal("c");
        net.tickUntil(
                () -> c.lastIndex() == a.lastIndex() && c.commitIndex() == a.commitIndex(), 3 * T, "c catches up");

        assertThat(net.delivered)
                .filteredOn(m -> m instanceof InstallSnapshot && m.to().equals("c"))
                .hasSize(1);
        assertThat(net.disk("c").snapshot).isEqualTo(s);
        assertThat(c.firstIndex()).isEqualTo(s.lastIndex() + 1);
        assertThat(terms(c)).isEqualTo(terms(a));
        assertThat(net.stateMachine("c")).isEqualTo(commands).isEqualTo(net.stateMachine("a"));
    }

    @Test
    void followerRestartedAfterInstallingASnapshotRecoversItFromDisk() {
        List<String> commands = new ArrayList<>();
        Network net = compactedWhileCWasAway(commands);
        Snapshot s = net.compact("a");
        net.heal("c");
        net.tickUntil(() -> net.node("c").appliedIndex() == net.node("a").appliedIndex(), 3 * T, "c catches up");

        net.crash("c");
        RaftNode c = net.restart("c");

        assertThat(c.firstIndex()).isEqualTo(s.lastIndex() + 1);
        assertThat(c.appliedIndex()).isEqualTo(s.lastIndex());
        assertThat(net.stateMachine("c")).isEqualTo(commands);
        net.tickAll();
        assertThat(net.stateMachine("c")).isEqualTo(commands);
        assertThat(c.leaderId()).isEqualTo("a");
    }

    @Test
    void snapshotThatMatchesTheFollowersLogKeepsTheEntriesAfterIt() {
        // Figure 13, step 6: the follower's log holds the snapshot's last entry: retain what follows.
        RaftNode b = new RaftNode("b", Network.threeVoters(), persisted(1, 1, 1, 1, 1, 1), new Random(1));
        Snapshot s = new Snapshot(3, 1, Network.threeVoters().membership(), Network.encode(List.of("e1", "e2", "e3")));

        List<Message> out = messages(stepAlone(b, new InstallSnapshot("a", "b", 1, s)));

        assertThat(b.firstIndex()).isEqualTo(4);
        assertThat(b.lastIndex()).isEqualTo(5);
        assertThat(b.commitIndex()).isEqualTo(3);
        assertThat(out).containsExactly(new SnapshotResponse("b", "a", 1, 3));
    }

    @Test
    void snapshotThatConflictsWithTheFollowersLogReplacesItWhole() {
        // Figure 13, step 7: discard the entire log.
        RaftNode b = new RaftNode("b", Network.threeVoters(), persisted(2, 1, 1, 1, 1), new Random(1));
        Snapshot s = new Snapshot(3, 2, Network.threeVoters().membership(), Network.encode(List.of("x")));

        stepAlone(b, new InstallSnapshot("a", "b", 2, s));

        assertThat(b.firstIndex()).isEqualTo(4);
        assertThat(b.lastIndex()).isEqualTo(3);
        assertThat(b.lastTerm()).isEqualTo(2);
    }

    @Test
    void followerThatAlreadyCommittedFurtherIgnoresAnOlderSnapshot() {
        RaftNode b = new RaftNode("b", Network.threeVoters(), persisted(1, 1, 1, 1, 1, 1), new Random(1));
        stepAlone(b, new io.raftboot.core.message.AppendEntries("a", "b", 1, 5, 1, List.of(), 5, 1));
        assertThat(b.commitIndex()).isEqualTo(5);
        Snapshot s = new Snapshot(3, 1, Network.threeVoters().membership(), Network.encode(List.of("e1", "e2", "e3")));

        List<Message> out = messages(stepAlone(b, new InstallSnapshot("a", "b", 1, s)));

        assertThat(b.firstIndex()).isEqualTo(1);
        assertThat(b.lastIndex()).isEqualTo(5);
        assertThat(out).containsExactly(new SnapshotResponse("b", "a", 1, 5));
    }
}
