package io.raftboot.spring.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.raftboot.proto.EntryType;
import io.raftboot.proto.ForwardRequest;
import io.raftboot.proto.HBeat;
import io.raftboot.proto.InstallSnapshotRequest;
import io.raftboot.proto.LogEntry;
import io.raftboot.proto.Node;
import io.raftboot.proto.RaftGrpc;
import io.raftboot.proto.ReqVote;
import io.raftboot.proto.TimeoutNowRequest;
import io.raftboot.testsupport.property.Gen;
import io.raftboot.testsupport.property.PropertyLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated {@code raft.proto} requests thrown at a running node's gRPC service: negative
 * and huge terms and indexes, wrong cluster ids, unknown and impersonated senders, entries with
 * gaps, oversized payloads, truncated and bit-flipped protobuf. The node must answer each with a
 * status (an error, or a protocol answer), never let an exception escape (gRPC's UNKNOWN), never
 * halt, and never change its durable term or vote in a way Raft forbids (see
 * {@link HostileNode#violations()}). Tries: {@value #TRIES} a property unless it says otherwise;
 * raise every property's with {@code -Draft.prop.tries=5000} (see {@link PropertyLoop}).
 */
class HostileInputPropertyTest {

    /** What a node may answer a hostile request with. */
    private static final Set<Status.Code> ALLOWED = Set.of(
            Status.Code.OK,
            Status.Code.PERMISSION_DENIED,
            Status.Code.INVALID_ARGUMENT,
            Status.Code.UNAUTHENTICATED,
            Status.Code.RESOURCE_EXHAUSTED,
            Status.Code.DEADLINE_EXCEEDED);

    /** Tries of a property that names no count of its own. */
    static final int TRIES = 300;

    static HostileNode node;

    @BeforeAll
    static void startNode() {
        node = new HostileNode();
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aHeartbeatOfAnyShapeGetsAnAnswerAndNeverBreaksTheDurableState() {
        PropertyLoop.forAll(TRIES, r -> {
            HBeat request = heartbeat(r);
            check(RaftGrpc.getHeartbeatMethod(), request, request.getTerm(), request.getFrom());
        });
    }

    @Test
    void aVoteRequestOfAnyShapeGetsAnAnswerAndNeverBreaksTheDurableState() {
        PropertyLoop.forAll(TRIES, r -> {
            ReqVote request = vote(r);
            check(RaftGrpc.getRequestVoteMethod(), request, request.getTerm(), request.getFrom());
        });
    }

    @Test
    void aSnapshotOfAnyShapeGetsAnAnswerAndNeverBreaksTheDurableState() {
        PropertyLoop.forAll(100, r -> {
            InstallSnapshotRequest request = snapshot(r);
            check(RaftGrpc.getInstallSnapshotMethod(), request, request.getTerm(), request.getFrom());
        });
    }

    @Test
    void aTimeoutNowOrForwardOfAnyShapeGetsAnAnswer() {
        PropertyLoop.forAll(100, r -> {
            TimeoutNowRequest timeoutNow = timeoutNow(r);
            ForwardRequest forward = forward(r);
            check(RaftGrpc.getTimeoutNowMethod(), timeoutNow, timeoutNow.getTerm(), timeoutNow.getFrom());
            Status status = node.call(RaftGrpc.getForwardMethod(), forward);
            assertThat(status.getCode()).as("Forward answered %s", status).isIn(ALLOWED);
        });
    }

    @Test
    void truncatedOrMutatedProtobufIsRefusedOrAnsweredNeverCrashes() {
        PropertyLoop.forAll(TRIES, r -> {
            Mutated m = mutatedBytes(r);
            long before = node.term();
            Status status = node.callRaw(m.method(), m.bytes());
            assertThat(status.getCode()).as("answer %s to %s", status, m).isIn(ALLOWED);
            if (status.getCode() == Status.Code.INVALID_ARGUMENT) {
                assertThat(status.getDescription()).contains("node 'n1' refuses");
            }
            if (status.isOk() || status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
                node.admittedTerms.add(termOf(m));
            } else {
                assertThat(node.term()).as("a refused request moved the term").isGreaterThanOrEqualTo(before);
            }
            assertInvariants();
        });
    }

    /** Found by this class: such a snapshot used to be installed and then stop the node (the store could not restore it). */
    @Test
    void aSnapshotWhoseDataTheStoreCannotReadIsRefusedAndTheNodeKeepsRunning() {
        InstallSnapshotRequest request = InstallSnapshotRequest.newBuilder()
                .setClusterId("fuzz")
                .setFrom("n2")
                .setTo("n1")
                .setTerm(Math.min(Math.max(1, node.term()), InboundChecks.MAX_TERM))
                .setLastIncludedIndex(1_000)
                .setLastIncludedTerm(1)
                .addVoters(Node.newBuilder().setId("n1"))
                .addVoters(Node.newBuilder().setId("n2"))
                .addVoters(Node.newBuilder().setId("n3"))
                .setData(ByteString.copyFromUtf8("not a config store snapshot"))
                .build();
        Status status = node.call(RaftGrpc.getInstallSnapshotMethod(), request);
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(status.getDescription()).contains("cannot be restored");
        assertInvariants();
    }

    @Test
    void anOversizedRequestIsRefusedWithResourceExhausted() {
        PropertyLoop.forAll(5, r -> {
            Oversized request = oversized(r);
            Status status = node.call(RaftGrpc.getHeartbeatMethod(), request.message());
            assertThat(status.getCode()).as("%s", request).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertInvariants();
        });
    }

    private <R extends MessageLite> void check(MethodDescriptor<R, ?> method, R request, long term, String from) {
        long before = node.term();
        Status status = node.call(method, request);
        assertThat(status.getCode()).as("answer to %s", request).isIn(ALLOWED);
        if (status.isOk() || status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
            node.admittedTerms.add(term);
        } else if (!HostileNode.MEMBERS.contains(from) || "n1".equals(from)) {
            assertThat(node.term())
                    .as("a refused request from '%s' moved the term", from)
                    .isLessThanOrEqualTo(Math.max(before, maxAdmitted()) + 1);
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
        assertThat(node.halted())
                .as("the node halted: %s", node.loop().haltCause())
                .isFalse();
        assertThat(node.violations()).isEmpty();
    }

    // ------------------------------------------------------------------ generators
    // Weights as in the generators of the property library these replaced: mostly plausible values, often edge
    // cases (negative, extreme, empty, impersonated), sometimes anything.

    static long number(SplittableRandom r) {
        return switch (Gen.weighted(r, 4, 2, 2, 1)) {
            case 0 -> Gen.longBetween(r, 0, 12);
            case 1 -> Gen.longBetween(r, -3, -1);
            case 2 ->
                Gen.oneOf(
                        r,
                        Long.MIN_VALUE,
                        Long.MAX_VALUE,
                        1L << 62,
                        (1L << 62) + 1,
                        (1L << 62) - 1,
                        Integer.MAX_VALUE + 1L);
            default -> r.nextLong();
        };
    }

    static String sender(SplittableRandom r) {
        return switch (Gen.weighted(r, 6, 2, 1)) {
            case 0 -> Gen.oneOf(r, "n2", "n3");
            case 1 -> Gen.oneOf(r, "n1", "", "N2", "n2 ", "intruder", "n2\u0000");
            default -> Gen.string(r, 40);
        };
    }

    static String cluster(SplittableRandom r) {
        return switch (Gen.weighted(r, 8, 2, 1)) {
            case 0 -> "fuzz";
            case 1 -> Gen.oneOf(r, "", "other", "FUZZ", "fuzz\u0000");
            default -> Gen.string(r, 20);
        };
    }

    static String receiver(SplittableRandom r) {
        return Gen.weighted(r, 8, 2) == 0 ? "n1" : Gen.oneOf(r, "", "n2", "n9");
    }

    static LogEntry entry(SplittableRandom r) {
        return LogEntry.newBuilder()
                .setIndex(number(r))
                .setTerm(number(r))
                .setTypeValue(Gen.oneOf(r, 0, 1, 2, -1))
                .setData(ByteString.copyFrom(Gen.bytes(r, 64)))
                .build();
    }

    /** Entries that follow prev_log_index correctly half of the time, so deeper checks are reached. */
    static HBeat heartbeat(SplittableRandom r) {
        String from = sender(r);
        HBeat.Builder b = HBeat.newBuilder()
                .setClusterId(cluster(r))
                .setFrom(from)
                .setLeaderId(from)
                .setTo(receiver(r))
                .setTerm(number(r))
                .setPrevLogIndex(number(r))
                .setPrevLogTerm(number(r))
                .setLeaderCommit(number(r))
                .setReadSeq(number(r));
        List<LogEntry> list = new ArrayList<>();
        for (int i = Gen.intBetween(r, 0, 4); i > 0; i--) {
            list.add(entry(r));
        }
        if (r.nextBoolean()) {
            long term = Math.max(0, Math.min(b.getTerm(), 50));
            long prev = Math.max(0, Math.min(b.getPrevLogIndex(), 20));
            b.setTerm(term).setPrevLogIndex(prev).setPrevLogTerm(Math.min(Math.max(0, b.getPrevLogTerm()), term));
            b.setLeaderCommit(Math.max(0, Math.min(b.getLeaderCommit(), prev + list.size())));
            b.setReadSeq(Math.max(0, b.getReadSeq()));
            for (int i = 0; i < list.size(); i++) {
                b.addEntries(list.get(i).toBuilder()
                        .setIndex(prev + 1 + i)
                        .setTerm(term)
                        .setType(EntryType.NORMAL));
            }
        } else {
            b.addAllEntries(list);
            if (r.nextInt(4) == 0) { // more entries than a request may carry
                for (int i = 0; i < InboundChecks.MAX_ENTRIES + 1; i++) {
                    b.addEntries(LogEntry.newBuilder()
                            .setIndex(b.getPrevLogIndex() + 1 + i)
                            .setTerm(b.getTerm()));
                }
            }
        }
        return b.build();
    }

    static ReqVote vote(SplittableRandom r) {
        String from = sender(r);
        return ReqVote.newBuilder()
                .setClusterId(cluster(r))
                .setFrom(from)
                .setCandidateId(from)
                .setTo(receiver(r))
                .setTerm(number(r))
                .setLastLogIndex(number(r))
                .setLastTerm(number(r))
                .setPreVote(r.nextBoolean())
                .setTransfer(r.nextBoolean())
                .build();
    }

    static InstallSnapshotRequest snapshot(SplittableRandom r) {
        InstallSnapshotRequest.Builder b = InstallSnapshotRequest.newBuilder()
                .setClusterId(cluster(r))
                .setFrom(sender(r))
                .setTo(receiver(r))
                .setTerm(number(r))
                .setLastIncludedIndex(number(r))
                .setLastIncludedTerm(number(r))
                .setData(ByteString.copyFrom(Gen.bytes(r, 200)));
        for (int i = Gen.intBetween(r, 0, 4); i > 0; i--) {
            b.addVoters(Node.newBuilder().setId(Gen.oneOf(r, "n1", "n2", "n3", "x", "")));
        }
        return b.build();
    }

    static TimeoutNowRequest timeoutNow(SplittableRandom r) {
        return TimeoutNowRequest.newBuilder()
                .setClusterId(cluster(r))
                .setFrom(sender(r))
                .setTo(receiver(r))
                .setTerm(number(r))
                .build();
    }

    static ForwardRequest forward(SplittableRandom r) {
        return ForwardRequest.newBuilder()
                .setClusterId(cluster(r))
                .setFrom(sender(r))
                .setKindValue(Gen.oneOf(r, 0, 1, 7))
                .setCommand(ByteString.copyFrom(Gen.bytes(r, 100)))
                .setTimeoutMillis(Math.floorMod(number(r), 200))
                .build();
    }

    record Mutated(MethodDescriptor<?, ?> method, byte[] bytes) {
        @Override
        public String toString() {
            return method.getBareMethodName() + " " + bytes.length + " bytes";
        }
    }

    /** A valid heartbeat, vote or snapshot request, truncated, with one bit flipped or one byte replaced. */
    static Mutated mutatedBytes(SplittableRandom r) {
        Mutated m = switch (r.nextInt(3)) {
            case 0 -> new Mutated(RaftGrpc.getHeartbeatMethod(), heartbeat(r).toByteArray());
            case 1 -> new Mutated(RaftGrpc.getRequestVoteMethod(), vote(r).toByteArray());
            default ->
                new Mutated(RaftGrpc.getInstallSnapshotMethod(), snapshot(r).toByteArray());
        };
        int how = Gen.intBetween(r, 0, 2);
        int where = Gen.intBetween(r, 0, 1000);
        byte value = Gen.anyByte(r);
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
    }

    record Oversized(HBeat message) {
        @Override
        public String toString() {
            return "HBeat of " + message.getSerializedSize() + " bytes";
        }
    }

    /** A heartbeat with one entry of 1 to 3 MiB. */
    static Oversized oversized(SplittableRandom r) {
        int mb = Gen.intBetween(r, 1, 3);
        return new Oversized(HBeat.newBuilder()
                .setClusterId("fuzz")
                .setFrom("n2")
                .setTo("n1")
                .setTerm(1)
                .addEntries(
                        LogEntry.newBuilder().setIndex(1).setTerm(1).setData(ByteString.copyFrom(new byte[mb << 20])))
                .build());
    }
}
