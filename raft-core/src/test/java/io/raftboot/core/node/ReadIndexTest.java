package io.raftboot.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.core.message.AppendResponse;
import io.raftboot.core.storage.HardState;
import io.raftboot.core.storage.PersistentState;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Linearizable reads with ReadIndex (Ongaro's thesis §6.4, Raft paper §8). */
class ReadIndexTest {

    private static final int T = 10;

    @Test
    void readOnANewLeaderWaitsUntilTheNoOpOfItsTermCommits() {
        // Entry 2 of term 1 is on every node but not known to be committed: a read served at
        // commit index 1 could miss it.
        PersistentState state = new PersistentState(new HardState(1, null, 1), null, Network.logOfTerms(1, 1));
        Network net = new Network(Network.threeVoters(), 91, Map.of("a", state, "b", state, "c", state));
        net.holdWhere(m -> m instanceof AppendResponse && m.to().equals("a"));
        net.elect("a");
        RaftNode a = net.node("a");

        a.readIndex(42);
        net.flush("a");
        net.deliverAll();
        assertThat(a.commitIndex()).isEqualTo(1);
        assertThat(net.readStates("a"))
                .as("the no-op of term 2 has not committed")
                .isEmpty();

        net.releaseHeld();
        net.deliverAll();

        assertThat(a.commitIndex()).isEqualTo(3);
        assertThat(net.readStates("a")).containsExactly(new ReadState(42, 3, true));
    }

    @Test
    void readIsConfirmedOnlyByAcknowledgementsOfAHeartbeatSentAfterIt() {
        Network net = Network.ofThree(92);
        net.elect("a");
        net.tickAll();
        RaftNode a = net.node("a");
        net.holdWhere(m -> m instanceof AppendResponse && m.to().equals("a"));
        net.tickAll(); // a heartbeat whose acknowledgements are held back
        long olderSeq = net.held().stream()
                .mapToLong(m -> ((AppendResponse) m).readSeq())
                .max()
                .orElseThrow();

        a.readIndex(7);
        net.flush("a");
        net.deliverAll();
        net.releaseHeldWhere(m -> ((AppendResponse) m).readSeq() <= olderSeq);
        net.deliverAll();
        assertThat(net.readStates("a"))
                .as("acknowledgements of a heartbeat sent before the read")
                .isEmpty();

        net.releaseHeld();
        net.deliverAll();

        assertThat(net.readStates("a")).containsExactly(new ReadState(7, a.commitIndex(), true));
    }

    @Test
    void readIndexIsTheCommitIndexWhenTheReadArrived() {
        Network net = Network.ofThree(93);
        net.elect("a");
        long index = net.propose("a", "x");
        net.deliverAll();
        RaftNode a = net.node("a");
        assertThat(a.commitIndex()).isEqualTo(index);

        a.readIndex(1);
        net.flush("a");
        net.deliverAll();

        assertThat(net.readStates("a")).containsExactly(new ReadState(1, index, true));
        assertThat(a.appliedIndex()).isGreaterThanOrEqualTo(index);
    }

    @Test
    void deposedLeadersReadNeverCompletesOkWithCheckQuorum() {
        // Regression "stale read after leader change": a, cut off, must not answer from its old state.
        Network net = Network.ofThree(94);
        net.elect("a");
        net.tickAll();
        RaftNode a = net.node("a");
        net.isolate("a");
        a.readIndex(7);
        net.flush("a");

        net.elect("b");
        long index = net.propose("b", "written by the new leader");
        net.deliverAll();
        net.heal();
        net.tickAll(3);

        assertThat(net.node("a").commitIndex()).isGreaterThanOrEqualTo(index);
        assertThat(net.readStates("a")).isNotEmpty().allSatisfy(r -> {
            assertThat(r.requestId()).isEqualTo(7);
            assertThat(r.ok()).isFalse();
        });
    }

    @Test
    void deposedLeadersReadNeverCompletesOkWithoutCheckQuorum() {
        // Without check-quorum a keeps believing it leads until it hears of the new term.
        Network net = new Network(Network.threeVoters().withCheckQuorum(false), 95);
        net.elect("a");
        net.tickAll();
        RaftNode a = net.node("a");
        net.isolate("a");
        a.readIndex(7);
        net.flush("a");
        net.elect("b");
        net.propose("b", "written by the new leader");
        net.deliverAll();
        net.tickAll();
        assertThat(a.role()).isEqualTo(Role.LEADER);
        assertThat(net.readStates("a")).isEmpty();

        net.heal();
        net.tickAll();

        assertThat(a.role()).isEqualTo(Role.FOLLOWER);
        assertThat(net.readStates("a")).singleElement().satisfies(r -> {
            assertThat(r.requestId()).isEqualTo(7);
            assertThat(r.ok()).isFalse();
        });
    }

    @Test
    void readWaitingForTheNoOpFailsWhenTheLeaderStepsDown() {
        Network net = Network.ofThree(96);
        net.holdWhere(m -> m instanceof AppendResponse && m.to().equals("a"));
        net.elect("a");
        RaftNode a = net.node("a");
        a.readIndex(5);
        net.flush("a");

        net.tickAll(2 * T); // check-quorum: no acknowledgement ever arrived

        assertThat(a.role()).isEqualTo(Role.FOLLOWER);
        assertThat(net.readStates("a")).singleElement().satisfies(r -> {
            assertThat(r.requestId()).isEqualTo(5);
            assertThat(r.ok()).isFalse();
        });
    }
}
