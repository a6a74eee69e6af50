package io.raftboot.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.core.log.EntryType;
import io.raftboot.core.log.LogEntry;
import io.raftboot.core.message.AppendEntries;
import io.raftboot.core.storage.HardState;
import io.raftboot.core.storage.PersistentState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Raft paper §5.4.2, Figure 8, with five servers: why a leader never commits an entry of an
 * earlier term by counting replicas. The cluster starts in state (b): s1 led term 2 and stored
 * entry 2 (term 2) on s1 and s2; s5 led term 3 and stored its own entry 2 (term 3) alone.
 */
class Figure8Test {

    private static final int T = 10;
    private static final ProtocolSettings FIVE = ProtocolSettings.of(Membership.ofVoters("s1", "s2", "s3", "s4", "s5"))
            .withBatching(1, 4);

    private static PersistentState state(long term, String votedFor, long... logTerms) {
        return new PersistentState(new HardState(term, votedFor, 1), null, Network.logOfTerms(logTerms));
    }

    /** s5's own entry 2 of term 3 carries a command of its own. */
    private static PersistentState s5State() {
        List<LogEntry> log =
                List.of(Network.logOfTerms(1).get(0), new LogEntry(2, 3, EntryType.NORMAL, Network.bytes("s5-e2")));
        return new PersistentState(new HardState(3, "s5", 1), null, log);
    }

    /** State (c): s5 is down, s1 leads term 4 and has copied entry 2 of term 2 to a majority, but not its no-op. */
    private static Network stateC(long seed) {
        Network net = new Network(
                FIVE,
                seed,
                Map.of(
                        "s1", state(2, "s1", 1, 2),
                        "s2", state(2, "s1", 1, 2),
                        "s3", state(3, "s5", 1),
                        "s4", state(3, "s5", 1),
                        "s5", s5State()));
        net.crash("s5");
        // The no-op of term 4 reaches nobody who already holds entry 2.
        net.holdWhere(m -> m instanceof AppendEntries ae
                && ae.entries().stream().anyMatch(e -> e.term() == 4)
                && net.node(ae.to()).lastIndex() >= 2);
        net.elect("s1");
        RaftNode s1 = net.node("s1");
        assertThat(s1.term()).isEqualTo(4);
        long replicas = List.of("s1", "s2", "s3", "s4").stream()
                .filter(id -> net.disk(id).term(2) == 2)
                .count();
        assertThat(replicas).as("servers storing entry 2 of term 2").isGreaterThanOrEqualTo(3);
        assertThat(s1.commitIndex())
                .as("a majority of replicas of a term-2 entry does not commit it")
                .isEqualTo(1);
        return net;
    }

    @Test
    void entryOfAnEarlierTermStoredOnAMajorityCanStillBeOverwrittenSoItWasRightNotToCommitIt() {
        Network net = stateC(111);
        net.discardHeld();

        // (d) s1 crashes; s5 (last term 3) wins term 5 and replaces entry 2 everywhere.
        net.crash("s1");
        net.restart("s5");
        net.elect("s5");
        net.tickAll();

        for (String id : List.of("s2", "s3", "s4", "s5")) {
            assertThat(net.node(id).entry(2).term()).as(id).isEqualTo(3);
        }
        assertThat(net.stateMachine("s2"))
                .as("s1 never reported e2 committed, nobody applied it")
                .containsExactly("e1", "s5-e2");
    }

    @Test
    void onceTheLeadersOwnTermEntryCommitsTheEarlierEntryIsSafe() {
        Network net = stateC(112);
        RaftNode s1 = net.node("s1");

        // (e) the no-op of term 4 reaches a majority: entry 2 commits with it.
        net.releaseHeld();
        net.deliverAll();
        assertThat(s1.commitIndex()).isEqualTo(3);

        net.crash("s1");
        net.restart("s5");
        net.tickUntil(() -> net.leader() != null, 10 * T, "a new leader");

        RaftNode leader = net.leader();
        assertThat(leader.id()).as("s5's log is not up to date any more").isNotEqualTo("s5");
        net.tickAll(2);
        for (String id : List.of("s2", "s3", "s4", "s5")) {
            assertThat(net.node(id).entry(2).term()).as(id).isEqualTo(2);
            assertThat(net.stateMachine(id)).as(id).containsExactly("e1", "e2");
        }
    }
}
