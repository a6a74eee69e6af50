package io.raftboot.benchmarks.jmh;

import io.raftboot.core.log.EntryType;
import io.raftboot.core.log.LogEntry;
import io.raftboot.core.message.AppendEntries;
import io.raftboot.core.message.AppendResponse;
import io.raftboot.core.message.Message;
import io.raftboot.core.message.VoteRequest;
import io.raftboot.core.message.VoteResponse;
import io.raftboot.core.node.Membership;
import io.raftboot.core.node.ProtocolSettings;
import io.raftboot.core.node.RaftNode;
import io.raftboot.core.node.Ready;
import io.raftboot.core.node.Role;
import io.raftboot.core.storage.PersistentState;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@code RaftNode.step} throughput, pure core (no I/O): each operation steps one message and does
 * the Ready bookkeeping (ready + advance) the driver would do, minus persistence and sending.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RaftNodeStep {

    private static final byte[] COMMAND = new byte[64];

    private RaftNode leader;
    private RaftNode follower;
    private long leaderTerm;
    private long readSeq;
    private long followerLast;
    private int ops;

    @Setup(Level.Trial)
    public void setUp() {
        leader = electedLeader();
        leaderTerm = leader.term();
        follower = new RaftNode("b", config(), PersistentState.EMPTY, new Random(2));
        follower.step(new AppendEntries("a", "b", 1, 0, 0, List.of(LogEntry.noop(1, 1)), 0, 1));
        drain(follower);
        followerLast = 1;
    }

    static ProtocolSettings config() {
        return ProtocolSettings.of(Membership.ofVoters("a", "b", "c")).withTicks(30, 5);
    }

    /** Ticks node "a" until it campaigns, and grants its pre-vote and vote from "b". */
    static RaftNode electedLeader() {
        RaftNode n = new RaftNode("a", config(), PersistentState.EMPTY, new Random(1));
        for (int i = 0; i < 200 && n.role() != Role.LEADER; i++) {
            n.tick();
            for (Message m : drain(n)) {
                if (m instanceof VoteRequest vr && vr.to().equals("b")) {
                    n.step(new VoteResponse("b", "a", vr.term(), true, vr.preVote()));
                    for (Message m2 : drain(n)) {
                        if (m2 instanceof VoteRequest v2 && v2.to().equals("b")) {
                            n.step(new VoteResponse("b", "a", v2.term(), true, v2.preVote()));
                            drain(n);
                        }
                    }
                }
            }
        }
        if (n.role() != Role.LEADER) {
            throw new IllegalStateException("setup: node a did not become leader: " + n);
        }
        n.step(new AppendResponse("b", "a", n.term(), true, n.lastIndex(), 0, 0, 0));
        drain(n);
        return n;
    }

    static List<Message> drain(RaftNode n) {
        List<Message> out = new ArrayList<>();
        while (n.hasReady()) {
            Ready r = n.ready();
            out.addAll(r.messages());
            n.advance(r);
        }
        return out;
    }

    /** The leader steps a follower's answer to a heartbeat (lease renewal, nothing to commit). */
    @Benchmark
    public int leaderStepsHeartbeatResponse() {
        leader.step(new AppendResponse("b", "a", leaderTerm, true, leader.lastIndex(), 0, 0, ++readSeq));
        return drain(leader).size();
    }

    /** The leader takes a proposal and steps the acknowledgement that commits it. */
    @Benchmark
    public int leaderProposesAndStepsAppendResponse() {
        long index = leader.propose(COMMAND);
        drain(leader);
        leader.step(new AppendResponse("b", "a", leaderTerm, true, index, 0, 0, ++readSeq));
        int n = drain(leader).size();
        if (++ops % 4096 == 0) {
            leader.compact(leader.snapshotAt(leader.appliedIndex(), new byte[0]));
        }
        return n;
    }

    /** A follower steps a heartbeat AppendEntries. */
    @Benchmark
    public int followerStepsHeartbeat() {
        follower.step(new AppendEntries("a", "b", 1, followerLast, 1, List.of(), followerLast, ++readSeq));
        return drain(follower).size();
    }

    /** A follower steps an AppendEntries carrying one new entry (and the commit of the previous one). */
    @Benchmark
    public int followerStepsAppendEntries() {
        LogEntry e = new LogEntry(followerLast + 1, 1, EntryType.NORMAL, COMMAND);
        follower.step(new AppendEntries("a", "b", 1, followerLast, 1, List.of(e), followerLast, ++readSeq));
        followerLast++;
        int n = drain(follower).size();
        if (++ops % 4096 == 0) {
            follower.compact(follower.snapshotAt(follower.appliedIndex(), new byte[0]));
        }
        return n;
    }
}
