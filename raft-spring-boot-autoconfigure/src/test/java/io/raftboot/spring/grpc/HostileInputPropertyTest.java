package io.raftboot.spring.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.raftboot.proto.EntryType;
import io.raftboot.proto.ForwardKind;
import io.raftboot.proto.ForwardRequest;
import io.raftboot.proto.HBeat;
import io.raftboot.proto.InstallSnapshotRequest;
import io.raftboot.proto.LogEntry;
import io.raftboot.proto.Node;
import io.raftboot.proto.RaftGrpc;
import io.raftboot.proto.ReqVote;
import io.raftboot.proto.TimeoutNowRequest;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random and mutated {@code raft.proto} requests thrown at a running node's gRPC service: negative
 * and huge terms and indexes, wrong cluster ids, unknown and impersonated senders, entries with
 * gaps, oversized payloads, truncated and bit-flipped protobuf. The node must answer each with a
 * status (an error, or a protocol answer), never let an exception escape (gRPC's UNKNOWN), never
 * halt, and never change its durable term or vote in a way Raft forbids (see
 * {@link HostileNode#violations()}). Tries: {@code jqwik.tries.default} (300; raise it with
 * {@code -Djqwik.tries.default=5000}).
 */
class HostileInputPropertyTest {

    /** What a node may answer a hostile request with. */
    private static final Set<Status.Code> ALLOWED = Set.of(Status.Code.OK, Status.Code.PERMISSION_DENIED, Status.Code.INVALID_ARGUMENT,
            Status.Code.UNAUTHENTICATED, Status.Code.RESOURCE_EXHAUSTED, Status.Code.DEADLINE_EXCEEDED);

    static HostileNode node;

    @BeforeContainer
    static void startNode() {
        node = new HostileNode();
    }

    @AfterContainer
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Property
    void aHeartbeatOfAnyShapeGetsAnAnswerAndNeverBreaksTheDurableState(@ForAll("heartbeats") HBeat request) {
        check(RaftGrpc.getHeartbeatMethod(), request, request.getTerm(), request.getFrom());
    }

    @Property
    void aVoteRequestOfAnyShapeGetsAnAnswerAndNeverBreaksTheDurableState(@ForAll("votes") ReqVote request) {
        check(RaftGrpc.getRequestVoteMethod(), request, request.getTerm(), request.getFrom());
    }

    @Property(tries = 100)
    void aSnapshotOfAnyShapeGetsAnAnswerAndNeverBreaksTheDurableState(@ForAll("snapshots") InstallSnapshotRequest request) {
        check(RaftGrpc.getInstallSnapshotMethod(), request, request.getTerm(), request.getFrom());
    }

    @Property(tries = 100)
    void aTimeoutNowOrForwardOfAnyShapeGetsAnAnswer(@ForAll("timeoutNows") TimeoutNowRequest timeoutNow, @ForAll("forwards") ForwardRequest forward) {
        check(RaftGrpc.getTimeoutNowMethod(), timeoutNow, timeoutNow.getTerm(), timeoutNow.getFrom());
        Status status = node.call(RaftGrpc.getForwardMethod(), forward);
        assertThat(status.getCode()).as("Forward answered %s", status).isIn(ALLOWED);
    }

    @Property
    void truncatedOrMutatedProtobufIsRefusedOrAnsweredNeverCrashes(@ForAll("mutatedBytes") Mutated m) {
        long before = node.term();
        Status status = node.callRaw(m.method(), m.bytes());
        assertThat(status.getCode()).as("answer %s", status).isIn(ALLOWED);
        if (status.getCode() == Status.Code.INVALID_ARGUMENT) {
            assertThat(status.getDescription()).contains("node 'n1' refuses");
        }
        if (status.isOk() || status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
            node.admittedTerms.add(termOf(m));
        } else {
            assertThat(node.term()).as("a refused request moved the term").isGreaterThanOrEqualTo(before);
        }
        assertInvariants();
    }

    /** Found by this class: such a snapshot used to be installed and then stop the node (the store could not restore it). */
    @net.jqwik.api.Example
    void aSnapshotWhoseDataTheStoreCannotReadIsRefusedAndTheNodeKeepsRunning() {
        InstallSnapshotRequest request = InstallSnapshotRequest.newBuilder().setClusterId("fuzz").setFrom("n2").setTo("n1")
                .setTerm(Math.min(Math.max(1, node.term()), InboundChecks.MAX_TERM)).setLastIncludedIndex(1_000).setLastIncludedTerm(1)
                .addVoters(Node.newBuilder().setId("n1")).addVoters(Node.newBuilder().setId("n2")).addVoters(Node.newBuilder().setId("n3"))
                .setData(ByteString.copyFromUtf8("not a config store snapshot")).build();
        Status status = node.call(RaftGrpc.getInstallSnapshotMethod(), request);
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("cannot be restored");
        assertInvariants();
    }

    @Property(tries = 5)
    void anOversizedRequestIsRefusedWithResourceExhausted(@ForAll("oversized") Oversized request) {
        Status status = node.call(RaftGrpc.getHeartbeatMethod(), request.message());
        assertThat(status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertInvariants();
    }

    private <R extends MessageLite> void check(MethodDescriptor<R, ?> method, R request, long term, String from) {
        long before = node.term();
        Status status = node.call(method, request);
        assertThat(status.getCode()).as("answer to %s", request).isIn(ALLOWED);
        if (status.isOk() || status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
            node.admittedTerms.add(term);
        } else if (!HostileNode.MEMBERS.contains(from) || "n1".equals(from)) {
            assertThat(node.term()).as("a refused request from '%s' moved the term", from).isLessThanOrEqualTo(Math.max(before, maxAdmitted()) + 1);
        }
        assertInvariants();
    }

    /** The term of a mutated request the node admitted, so it must have decoded. */
    private static long termOf(Mutated m) {
        try {
            if (m.method() == RaftGrpc.getHeartbeatMethod()) {
                return HBeat.parseFrom(m.bytes()).getTerm();
            }
            if (m.method() == RaftGrpc.getRequestVoteMethod()) {
                return ReqVote.parseFrom(m.bytes()).getTerm();
            }
            return InstallSnapshotRequest.parseFrom(m.bytes()).getTerm();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError("the node admitted bytes that do not decode: " + m, e);
        }
    }

    private static long maxAdmitted() {
        return node.admittedTerms.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private static void assertInvariants() {
        assertThat(node.halted()).as("the node halted: %s", node.loop().haltCause()).isFalse();
        assertThat(node.violations()).isEmpty();
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<Long> numbers() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.longs().between(0, 12)),
                net.jqwik.api.Tuple.of(2, Arbitraries.longs().between(-3, -1)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 1L << 62, (1L << 62) + 1, (1L << 62) - 1, Integer.MAX_VALUE + 1L)),
                net.jqwik.api.Tuple.of(1, Arbitraries.longs()));
    }

    @Provide
    Arbitrary<String> senders() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of("n2", "n3")),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("n1", "", "N2", "n2 ", "intruder", "n2\u0000")),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(40)));
    }

    @Provide
    Arbitrary<String> clusters() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just("fuzz")),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("", "other", "FUZZ", "fuzz\u0000")),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(20)));
    }

    @Provide
    Arbitrary<String> receivers() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just("n1")),
                net.jqwik.api.Tuple.of(2, Arbitraries.of("", "n2", "n9")));
    }

    Arbitrary<LogEntry> entries() {
        return Combinators.combine(numbers(), numbers(), Arbitraries.of(0, 1, 2, -1), Arbitraries.bytes().array(byte[].class).ofMaxSize(64))
                .as((index, term, type, data) -> LogEntry.newBuilder().setIndex(index).setTerm(term).setTypeValue(type)
                        .setData(ByteString.copyFrom(data)).build());
    }

    /** Entries that follow prev_log_index correctly half of the time, so deeper checks are reached. */
    @Provide
    Arbitrary<HBeat> heartbeats() {
        Arbitrary<HBeat.Builder> base = Combinators.combine(clusters(), senders(), receivers(), numbers(), numbers(), numbers(), numbers(), numbers())
                .as((cluster, from, to, term, prevIndex, prevTerm, commit, seq) -> HBeat.newBuilder().setClusterId(cluster).setFrom(from)
                        .setLeaderId(from).setTo(to).setTerm(term).setPrevLogIndex(prevIndex).setPrevLogTerm(prevTerm)
                        .setLeaderCommit(commit).setReadSeq(seq));
        return Combinators.combine(base, entries().list().ofMaxSize(4), Arbitraries.of(true, false), Arbitraries.integers().between(0, 3))
                .as((b, list, wellFormed, many) -> {
                    if (wellFormed) {
                        long term = Math.max(0, Math.min(b.getTerm(), 50));
                        long prev = Math.max(0, Math.min(b.getPrevLogIndex(), 20));
                        b.setTerm(term).setPrevLogIndex(prev).setPrevLogTerm(Math.min(Math.max(0, b.getPrevLogTerm()), term));
                        b.setLeaderCommit(Math.max(0, Math.min(b.getLeaderCommit(), prev + list.size())));
                        b.setReadSeq(Math.max(0, b.getReadSeq()));
                        for (int i = 0; i < list.size(); i++) {
                            b.addEntries(list.get(i).toBuilder().setIndex(prev + 1 + i).setTerm(term).setType(EntryType.NORMAL));
                        }
                    } else {
                        b.addAllEntries(list);
                        if (many == 0) {
                            for (int i = 0; i < InboundChecks.MAX_ENTRIES + 1; i++) {
                                b.addEntries(LogEntry.newBuilder().setIndex(b.getPrevLogIndex() + 1 + i).setTerm(b.getTerm()));
                            }
                        }
                    }
                    return b.build();
                });
    }

    @Provide
    Arbitrary<ReqVote> votes() {
        return Combinators.combine(clusters(), senders(), receivers(), numbers(), numbers(), numbers(), Arbitraries.of(true, false), Arbitraries.of(true, false))
                .as((cluster, from, to, term, lastIndex, lastTerm, preVote, transfer) -> ReqVote.newBuilder().setClusterId(cluster)
                        .setFrom(from).setCandidateId(from).setTo(to).setTerm(term).setLastLogIndex(lastIndex).setLastTerm(lastTerm)
                        .setPreVote(preVote).setTransfer(transfer).build());
    }

    @Provide
    Arbitrary<InstallSnapshotRequest> snapshots() {
        Arbitrary<List<String>> ids = Arbitraries.of("n1", "n2", "n3", "x", "").list().ofMaxSize(4);
        return Combinators.combine(clusters(), senders(), receivers(), numbers(), numbers(), numbers(), ids,
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(200))
                .as((cluster, from, to, term, index, lastTerm, voters, data) -> {
                    InstallSnapshotRequest.Builder b = InstallSnapshotRequest.newBuilder().setClusterId(cluster).setFrom(from).setTo(to)
                            .setTerm(term).setLastIncludedIndex(index).setLastIncludedTerm(lastTerm).setData(ByteString.copyFrom(data));
                    voters.forEach(v -> b.addVoters(Node.newBuilder().setId(v)));
                    return b.build();
                });
    }

    @Provide
    Arbitrary<TimeoutNowRequest> timeoutNows() {
        return Combinators.combine(clusters(), senders(), receivers(), numbers())
                .as((cluster, from, to, term) -> TimeoutNowRequest.newBuilder().setClusterId(cluster).setFrom(from).setTo(to).setTerm(term).build());
    }

    @Provide
    Arbitrary<ForwardRequest> forwards() {
        return Combinators.combine(clusters(), senders(), Arbitraries.of(0, 1, 7), Arbitraries.bytes().array(byte[].class).ofMaxSize(100), numbers())
                .as((cluster, from, kind, command, timeout) -> ForwardRequest.newBuilder().setClusterId(cluster).setFrom(from)
                        .setKindValue(kind).setCommand(ByteString.copyFrom(command)).setTimeoutMillis(Math.floorMod(timeout, 200)).build());
    }

    record Mutated(MethodDescriptor<?, ?> method, byte[] bytes) {
        @Override
        public String toString() {
            return method.getBareMethodName() + " " + bytes.length + " bytes";
        }
    }

    @Provide
    Arbitrary<Mutated> mutatedBytes() {
        Arbitrary<Mutated> valid = Arbitraries.oneOf(
                heartbeats().map(m -> new Mutated(RaftGrpc.getHeartbeatMethod(), m.toByteArray())),
                votes().map(m -> new Mutated(RaftGrpc.getRequestVoteMethod(), m.toByteArray())),
                snapshots().map(m -> new Mutated(RaftGrpc.getInstallSnapshotMethod(), m.toByteArray())));
        return Combinators.combine(valid, Arbitraries.integers().between(0, 2), Arbitraries.integers().between(0, 1000), Arbitraries.bytes())
                .as((m, how, where, value) -> {
                    byte[] b = m.bytes().clone();
                    if (b.length == 0) {
                        return new Mutated(m.method(), new byte[] {value});
                    }
                    int at = where % b.length;
                    byte[] out = switch (how) {
                        case 0 -> java.util.Arrays.copyOf(b, at); // truncated
                        case 1 -> {
                            b[at] ^= (byte) (1 << Math.floorMod(value, 8)); // one flipped bit
                            yield b;
                        }
                        default -> {
                            b[at] = value; // one byte replaced
                            yield b;
                        }
                    };
                    return new Mutated(m.method(), out);
                });
    }

    record Oversized(HBeat message) {
        @Override
        public String toString() {
            return "HBeat of " + message.getSerializedSize() + " bytes";
        }
    }

    @Provide
    Arbitrary<Oversized> oversized() {
        return Arbitraries.integers().between(1, 3).map(mb -> new Oversized(HBeat.newBuilder().setClusterId("fuzz").setFrom("n2").setTo("n1").setTerm(1)
                .addEntries(LogEntry.newBuilder().setIndex(1).setTerm(1).setData(ByteString.copyFrom(new byte[mb << 20]))).build()));
    }
}
