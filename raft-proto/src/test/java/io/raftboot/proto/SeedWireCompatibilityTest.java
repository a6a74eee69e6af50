package io.raftboot.proto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The wire format must stay a superset of the seed's ({@code io.raftboot.proto.seed.*} are the
 * seed's own definitions, compiled from {@code src/test/proto/seed_rafts.proto}): seed bytes decode
 * here with the same values, our messages decode in the seed with the new fields skipped, and a
 * seed client reaches our service under the seed's gRPC paths.
 */
class SeedWireCompatibilityTest {

    private static final ByteString CONFIG = ByteString.copyFromUtf8("{\"feature.x\":\"on\"}");

    // ---- seed bytes -> our messages ----

    @Test
    void seedHeartbeatDecodesWithTheSameValues() throws InvalidProtocolBufferException {
        byte[] seedBytes = io.raftboot.proto.seed.HBeat.newBuilder()
                .setTerm(7)
                .setLeaderId("2")
                .setVersion(42)
                .setConfig(CONFIG)
                .build()
                .toByteArray();

        HBeat ours = HBeat.parseFrom(seedBytes);

        assertThat(ours.getTerm()).isEqualTo(7L);
        assertThat(ours.getLeaderId()).isEqualTo("2");
        assertThat(ours.getVersion()).isEqualTo(42L);
        assertThat(ours.getConfig()).isEqualTo(CONFIG);
        assertThat(ours.getEntriesList()).isEmpty();
        assertThat(ours.getPrevLogIndex()).isZero();
        assertThat(ours.getUnknownFields().asMap()).isEmpty();
    }

    @Test
    void seedVoteRequestDecodesWithTheSameValues() throws InvalidProtocolBufferException {
        long nanos = 1_732_579_200_123_456_789L;
        byte[] seedBytes = io.raftboot.proto.seed.ReqVote.newBuilder()
                .setTerm(Integer.MAX_VALUE)
                .setCandidateId("3")
                .setUrl("broker-2:9091")
                .setLastLeaderId("1")
                .setLastVersion(17)
                .setLastTerm(6)
                .setTimestamp(nanos)
                .build()
                .toByteArray();

        ReqVote ours = ReqVote.parseFrom(seedBytes);

        assertThat(ours.getTerm()).isEqualTo(Integer.MAX_VALUE);
        assertThat(ours.getCandidateId()).isEqualTo("3");
        assertThat(ours.getUrl()).isEqualTo("broker-2:9091");
        assertThat(ours.getLastLeaderId()).isEqualTo("1");
        assertThat(ours.getLastVersion()).isEqualTo(17L);
        assertThat(ours.getLastTerm()).isEqualTo(6L);
        assertThat(ours.getTimestamp()).isEqualTo(nanos);
        assertThat(ours.getPreVote()).isFalse();
        assertThat(ours.getUnknownFields().asMap()).isEmpty();
    }

    @Test
    void seedResponsesAndNodeDecodeWithTheSameValues() throws InvalidProtocolBufferException {
        HBeatReturn hbr = HBeatReturn.parseFrom(io.raftboot.proto.seed.HBeatReturn.newBuilder()
                .setTerm(9)
                .setSuccess(true)
                .build()
                .toByteArray());
        ReqVoteReturn rvr = ReqVoteReturn.parseFrom(io.raftboot.proto.seed.ReqVoteReturn.newBuilder()
                .setTerm(11)
                .setVoteGranted(true)
                .build()
                .toByteArray());
        Node node = Node.parseFrom(io.raftboot.proto.seed.Node.newBuilder()
                .setId("1")
                .setUrl("10.0.0.1:9091")
                .build()
                .toByteArray());

        assertThat(hbr.getTerm()).isEqualTo(9L);
        assertThat(hbr.getSuccess()).isTrue();
        assertThat(rvr.getTerm()).isEqualTo(11L);
        assertThat(rvr.getVoteGranted()).isTrue();
        assertThat(node.getId()).isEqualTo("1");
        assertThat(node.getUrl()).isEqualTo("10.0.0.1:9091");
    }

    // ---- our messages -> seed ----

    @Test
    void seedFieldsAloneEncodeToExactlyTheSeedsBytes() {
        assertThat(HBeat.newBuilder()
                        .setTerm(7)
                        .setLeaderId("2")
                        .setVersion(42)
                        .setConfig(CONFIG)
                        .build()
                        .toByteArray())
                .isEqualTo(io.raftboot.proto.seed.HBeat.newBuilder()
                        .setTerm(7)
                        .setLeaderId("2")
                        .setVersion(42)
                        .setConfig(CONFIG)
                        .build()
                        .toByteArray());
        assertThat(ReqVote.newBuilder()
                        .setTerm(5)
                        .setCandidateId("3")
                        .setUrl("h:1")
                        .setLastLeaderId("1")
                        .setLastVersion(4)
                        .setLastTerm(4)
                        .setTimestamp(99)
                        .build()
                        .toByteArray())
                .isEqualTo(io.raftboot.proto.seed.ReqVote.newBuilder()
                        .setTerm(5)
                        .setCandidateId("3")
                        .setUrl("h:1")
                        .setLastLeaderId("1")
                        .setLastVersion(4)
                        .setLastTerm(4)
                        .setTimestamp(99)
                        .build()
                        .toByteArray());
        assertThat(HBeatReturn.newBuilder().setTerm(3).setSuccess(true).build().toByteArray())
                .isEqualTo(io.raftboot.proto.seed.HBeatReturn.newBuilder()
                        .setTerm(3)
                        .setSuccess(true)
                        .build()
                        .toByteArray());
        assertThat(ReqVoteReturn.newBuilder()
                        .setTerm(3)
                        .setVoteGranted(true)
                        .build()
                        .toByteArray())
                .isEqualTo(io.raftboot.proto.seed.ReqVoteReturn.newBuilder()
                        .setTerm(3)
                        .setVoteGranted(true)
                        .build()
                        .toByteArray());
    }

    @Test
    void seedDecodesOurAppendEntriesAndSkipsTheNewFields() throws InvalidProtocolBufferException {
        HBeat ours = HBeat.newBuilder()
                .setTerm(8)
                .setLeaderId("n1")
                .setVersion(12)
                .setConfig(CONFIG)
                .setClusterId("demo")
                .setFrom("n1")
                .setTo("n2")
                .setPrevLogIndex(40)
                .setPrevLogTerm(7)
                .addEntries(LogEntry.newBuilder().setIndex(41).setTerm(8).setType(EntryType.NOOP))
                .addEntries(LogEntry.newBuilder().setIndex(42).setTerm(8).setData(ByteString.copyFromUtf8("put a=1")))
                .setLeaderCommit(40)
                .setReadSeq(1234)
                .build();

        var seed = io.raftboot.proto.seed.HBeat.parseFrom(ours.toByteArray());

        assertThat(seed.getTerm()).isEqualTo(8);
        assertThat(seed.getLeaderId()).isEqualTo("n1");
        assertThat(seed.getVersion()).isEqualTo(12);
        assertThat(seed.getConfig()).isEqualTo(CONFIG);
        assertThat(seed.getUnknownFields().asMap().keySet()).containsExactlyInAnyOrder(10, 11, 12, 13, 14, 15, 16, 17);
        // Nothing is lost on the way through a seed node that re-encodes what it does not know.
        assertThat(HBeat.parseFrom(seed.toByteArray())).isEqualTo(ours);
    }

    @Test
    void seedDecodesOurVoteMessagesAndSkipsTheNewFields() throws InvalidProtocolBufferException {
        ReqVote request = ReqVote.newBuilder()
                .setTerm(9)
                .setCandidateId("n3")
                .setUrl("127.0.0.1:9093")
                .setLastLeaderId("n1")
                .setLastVersion(12)
                .setLastTerm(8)
                .setTimestamp(5L)
                .setClusterId("demo")
                .setFrom("n3")
                .setTo("n1")
                .setLastLogIndex(42)
                .setPreVote(true)
                .setTransfer(true)
                .setCrashFast(true)
                .build();
        ReqVoteReturn response = ReqVoteReturn.newBuilder()
                .setTerm(9)
                .setVoteGranted(true)
                .setClusterId("demo")
                .setFrom("n1")
                .setTo("n3")
                .setPreVote(true)
                .build();
        HBeatReturn appendResponse = HBeatReturn.newBuilder()
                .setTerm(8)
                .setSuccess(false)
                .setClusterId("demo")
                .setFrom("n2")
                .setTo("n1")
                .setRejectHintIndex(30)
                .setRejectHintTerm(6)
                .setReadSeq(1234)
                .build();

        var seedRequest = io.raftboot.proto.seed.ReqVote.parseFrom(request.toByteArray());
        var seedResponse = io.raftboot.proto.seed.ReqVoteReturn.parseFrom(response.toByteArray());
        var seedAppendResponse = io.raftboot.proto.seed.HBeatReturn.parseFrom(appendResponse.toByteArray());

        assertThat(seedRequest.getTerm()).isEqualTo(9);
        assertThat(seedRequest.getCandidateId()).isEqualTo("n3");
        assertThat(seedRequest.getUrl()).isEqualTo("127.0.0.1:9093");
        assertThat(seedRequest.getLastLeaderId()).isEqualTo("n1");
        assertThat(seedRequest.getLastVersion()).isEqualTo(12);
        assertThat(seedRequest.getLastTerm()).isEqualTo(8);
        assertThat(seedRequest.getTimestamp()).isEqualTo(5L);
        assertThat(seedRequest.getUnknownFields().asMap().keySet())
                .containsExactlyInAnyOrder(10, 11, 12, 13, 14, 15, 16);
        assertThat(seedResponse.getTerm()).isEqualTo(9);
        assertThat(seedResponse.getVoteGranted()).isTrue();
        assertThat(seedAppendResponse.getTerm()).isEqualTo(8);
        assertThat(seedAppendResponse.getSuccess()).isFalse();
    }

    // ---- the schema itself ----

    @Test
    void seedFieldNumbersKeepTheirNamesAndWireTypes() {
        assertSameSeedFields(io.raftboot.proto.seed.HBeat.getDescriptor(), HBeat.getDescriptor());
        assertSameSeedFields(io.raftboot.proto.seed.HBeatReturn.getDescriptor(), HBeatReturn.getDescriptor());
        assertSameSeedFields(io.raftboot.proto.seed.ReqVote.getDescriptor(), ReqVote.getDescriptor());
        assertSameSeedFields(io.raftboot.proto.seed.ReqVoteReturn.getDescriptor(), ReqVoteReturn.getDescriptor());
        assertSameSeedFields(io.raftboot.proto.seed.Node.getDescriptor(), Node.getDescriptor());
        // The seed never used HBeat field 3: it stays reserved, never reused with another meaning.
        assertThat(HBeat.getDescriptor().isReservedNumber(3)).isTrue();
    }

    private static void assertSameSeedFields(Descriptor seed, Descriptor ours) {
        assertThat(ours.getName()).isEqualTo(seed.getName());
        for (FieldDescriptor seedField : seed.getFields()) {
            FieldDescriptor ourField = ours.findFieldByNumber(seedField.getNumber());
            assertThat(ourField)
                    .as("%s field %d (%s)", ours.getName(), seedField.getNumber(), seedField.getName())
                    .isNotNull();
            assertThat(ourField.getJsonName()).isEqualTo(seedField.getJsonName());
            assertThat(ourField.getLiteType().getWireType())
                    .as("wire type of %s.%s", ours.getName(), ourField.getName())
                    .isEqualTo(seedField.getLiteType().getWireType());
            assertThat(ourField.isRepeated()).isEqualTo(seedField.isRepeated());
        }
        for (FieldDescriptor ourField : ours.getFields()) {
            if (seed.findFieldByNumber(ourField.getNumber()) == null) {
                assertThat(ourField.getNumber())
                        .as("new field %s.%s leaves room after the seed's numbers", ours.getName(), ourField.getName())
                        .isGreaterThanOrEqualTo(10);
            }
        }
    }

    @Test
    void serviceKeepsTheSeedsGrpcPaths() {
        assertThat(RaftGrpc.SERVICE_NAME).isEqualTo("rafts.Raft");
        assertThat(RaftGrpc.getHeartbeatMethod().getFullMethodName()).isEqualTo("rafts.Raft/Heartbeat");
        assertThat(RaftGrpc.getRequestVoteMethod().getFullMethodName()).isEqualTo("rafts.Raft/RequestVote");
        assertThat(RaftGrpc.getTimeoutNowMethod().getFullMethodName()).isEqualTo("rafts.Raft/TimeoutNow");
        assertThat(RaftGrpc.getInstallSnapshotMethod().getFullMethodName()).isEqualTo("rafts.Raft/InstallSnapshot");
        assertThat(RaftGrpc.getForwardMethod().getFullMethodName()).isEqualTo("rafts.Raft/Forward");
    }

    // ---- end to end over gRPC ----

    @Test
    void aSeedClientReachesOurServiceOverGrpc() throws IOException, InterruptedException {
        AtomicReference<HBeat> heartbeatSeen = new AtomicReference<>();
        AtomicReference<ReqVote> voteSeen = new AtomicReference<>();
        RaftGrpc.RaftImplBase service = new RaftGrpc.RaftImplBase() {
            @Override
            public void heartbeat(HBeat request, StreamObserver<HBeatReturn> response) {
                heartbeatSeen.set(request);
                response.onNext(HBeatReturn.newBuilder()
                        .setTerm(request.getTerm())
                        .setSuccess(true)
                        .setFrom("n2")
                        .setMatchIndex(17)
                        .build());
                response.onCompleted();
            }

            @Override
            public void requestVote(ReqVote request, StreamObserver<ReqVoteReturn> response) {
                voteSeen.set(request);
                response.onNext(ReqVoteReturn.newBuilder()
                        .setTerm(request.getTerm() + 1)
                        .setVoteGranted(false)
                        .setFrom("n2")
                        .build());
                response.onCompleted();
            }
        };
        String name = InProcessServerBuilder.generateName();
        Server server = InProcessServerBuilder.forName(name)
                .directExecutor()
                .addService(service)
                .build()
                .start();
        ManagedChannel channel =
                InProcessChannelBuilder.forName(name).directExecutor().build();
        try {
            var heartbeatReply = ClientCalls.blockingUnaryCall(
                    channel,
                    seedMethod(
                            "Heartbeat",
                            io.raftboot.proto.seed.HBeat.getDefaultInstance(),
                            io.raftboot.proto.seed.HBeatReturn.getDefaultInstance()),
                    CallOptions.DEFAULT,
                    io.raftboot.proto.seed.HBeat.newBuilder()
                            .setTerm(4)
                            .setLeaderId("1")
                            .setVersion(3)
                            .setConfig(CONFIG)
                            .build());
            var voteReply = ClientCalls.blockingUnaryCall(
                    channel,
                    seedMethod(
                            "RequestVote",
                            io.raftboot.proto.seed.ReqVote.getDefaultInstance(),
                            io.raftboot.proto.seed.ReqVoteReturn.getDefaultInstance()),
                    CallOptions.DEFAULT,
                    io.raftboot.proto.seed.ReqVote.newBuilder()
                            .setTerm(5)
                            .setCandidateId("3")
                            .setUrl("broker-2:9091")
                            .setLastTerm(4)
                            .setTimestamp(77L)
                            .build());

            assertThat(heartbeatSeen.get().getTerm()).isEqualTo(4L);
            assertThat(heartbeatSeen.get().getLeaderId()).isEqualTo("1");
            assertThat(heartbeatSeen.get().getVersion()).isEqualTo(3L);
            assertThat(heartbeatSeen.get().getConfig()).isEqualTo(CONFIG);
            assertThat(heartbeatReply.getTerm()).isEqualTo(4);
            assertThat(heartbeatReply.getSuccess()).isTrue();

            assertThat(voteSeen.get().getTerm()).isEqualTo(5L);
            assertThat(voteSeen.get().getCandidateId()).isEqualTo("3");
            assertThat(voteSeen.get().getUrl()).isEqualTo("broker-2:9091");
            assertThat(voteSeen.get().getLastTerm()).isEqualTo(4L);
            assertThat(voteSeen.get().getTimestamp()).isEqualTo(77L);
            assertThat(voteReply.getTerm()).isEqualTo(6);
            assertThat(voteReply.getVoteGranted()).isFalse();
        } finally {
            channel.shutdownNow();
            server.shutdownNow();
            assertThat(server.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** The method a seed client calls: package {@code rafts}, service {@code Raft}. */
    private static <Q extends Message, R extends Message> MethodDescriptor<Q, R> seedMethod(
            String method, Q requestPrototype, R responsePrototype) {
        return MethodDescriptor.<Q, R>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("rafts.Raft", method))
                .setRequestMarshaller(ProtoUtils.marshaller(requestPrototype))
                .setResponseMarshaller(ProtoUtils.marshaller(responsePrototype))
                .build();
    }

    @Test
    void newMessagesCarryTheirFields() throws InvalidProtocolBufferException {
        InstallSnapshotRequest snapshot = InstallSnapshotRequest.newBuilder()
                .setTerm(3)
                .setClusterId("demo")
                .setFrom("n1")
                .setTo("n4")
                .setLastIncludedIndex(100)
                .setLastIncludedTerm(2)
                .addAllVoters(List.of(
                        Node.newBuilder().setId("n1").setUrl("h:1").build(),
                        Node.newBuilder().setId("n2").setUrl("h:2").build()))
                .addLearners(Node.newBuilder().setId("n4").setUrl("h:4"))
                .setData(ByteString.copyFromUtf8("state"))
                .build();
        ForwardRequest forward = ForwardRequest.newBuilder()
                .setClusterId("demo")
                .setFrom("n2")
                .setKind(ForwardKind.READ_INDEX)
                .setTimeoutMillis(500)
                .build();

        InstallSnapshotRequest snapshotBack = InstallSnapshotRequest.parseFrom(snapshot.toByteArray());
        ForwardRequest forwardBack = ForwardRequest.parseFrom(forward.toByteArray());

        assertThat(snapshotBack.getVotersList()).extracting(Node::getId).containsExactly("n1", "n2");
        assertThat(snapshotBack.getLearnersList()).extracting(Node::getUrl).containsExactly("h:4");
        assertThat(snapshotBack.getLastIncludedIndex()).isEqualTo(100L);
        assertThat(forwardBack.getKind()).isEqualTo(ForwardKind.READ_INDEX);
        assertThat(forwardBack.getTimeoutMillis()).isEqualTo(500L);
        // Defaults a sender gets without setting anything: a NORMAL entry, a WRITE.
        assertThat(LogEntry.getDefaultInstance().getType()).isEqualTo(EntryType.NORMAL);
        assertThat(ForwardRequest.getDefaultInstance().getKind()).isEqualTo(ForwardKind.WRITE);
    }
}
