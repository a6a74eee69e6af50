package io.raftboot.spring.grpc;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.raftboot.core.store.ConfigCommandCodec;
import io.raftboot.proto.ForwardRequest;
import io.raftboot.proto.HBeat;
import io.raftboot.proto.InstallSnapshotRequest;
import io.raftboot.proto.ReqVote;
import io.raftboot.proto.TimeoutNowRequest;
import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.cluster.PeerAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing (Jazzer) of what a node does with the bytes of a request before the
 * Raft core sees it: protobuf decoding, the structural checks ({@link InboundChecks}) and the
 * mapping to the core's records ({@link MessageMapper}), and the decoding of forwarded config
 * commands. Bytes either fail to decode (InvalidProtocolBufferException), are refused by the
 * checks, or map without any exception: a check that lets through a message the mapping
 * rejects is a finding. A forwarded command either decodes or fails with
 * IllegalArgumentException, nothing else.
 *
 * <p>Fuzzes when {@code JAZZER_FUZZ} is set (the build sets it from {@code raft.fuzz}, true by
 * default) for {@code raft.fuzz.duration} (the build's default is 15s; {@code -Draft.fuzz.duration=10m}
 * for a longer run; the annotation's 15s when run from an IDE without it); otherwise replays the
 * seed corpus in {@code src/test/resources/io/raftboot/spring/grpc/MessageDecodingFuzzTestInputs/}.
 */
class MessageDecodingFuzzTest {

    private static final ClusterSettings SETTINGS = settings();
    private static final MessageMapper MAPPER = new MessageMapper(SETTINGS, () -> 0);

    /**
     * {@code @FuzzTest(maxDuration)} is a constant. Jazzer appends the libFuzzer arguments of the
     * JUnit configuration parameters {@code jazzer.internal.arg.<i>} (argument 0 being argv[0])
     * after its own {@code -max_total_time}, and libFuzzer keeps the last value of a flag; JUnit
     * reads configuration parameters from system properties when it is asked, and Jazzer asks
     * when it prepares the fuzz run, after this method.
     */
    @BeforeAll
    static void fuzzForRaftFuzzDuration() {
        String duration = System.getProperty(FuzzDuration.PROPERTY);
        if (duration != null && !duration.isBlank() && System.getProperty("jazzer.internal.arg.0") == null) {
            System.setProperty("jazzer.internal.arg.0", "MessageDecodingFuzzTest");
            System.setProperty("jazzer.internal.arg.1", "-max_total_time=" + FuzzDuration.seconds(duration));
        }
    }

    @AfterAll
    static void clearFuzzDuration() {
        if ("MessageDecodingFuzzTest".equals(System.getProperty("jazzer.internal.arg.0"))) {
            System.clearProperty("jazzer.internal.arg.0");
            System.clearProperty("jazzer.internal.arg.1");
        }
    }

    @FuzzTest(maxDuration = "15s")
    void decodingCheckingAndMappingNeverFailUnexpectedly(FuzzedDataProvider data) {
        int kind = data.consumeInt(0, 5);
        byte[] bytes = data.consumeRemainingAsBytes();
        try {
            switch (kind) {
                case 0 -> {
                    HBeat m = HBeat.parseFrom(bytes);
                    if (InboundChecks.check(m) == null) {
                        MAPPER.fromProto(m);
                    }
                }
                case 1 -> {
                    ReqVote m = ReqVote.parseFrom(bytes);
                    if (InboundChecks.check(m) == null) {
                        MAPPER.fromProto(m);
                    }
                }
                case 2 -> {
                    InstallSnapshotRequest m = InstallSnapshotRequest.parseFrom(bytes);
                    if (InboundChecks.check(m) == null) {
                        MAPPER.fromProto(m);
                    }
                }
                case 3 -> {
                    TimeoutNowRequest m = TimeoutNowRequest.parseFrom(bytes);
                    if (InboundChecks.check(m) == null) {
                        MAPPER.fromProto(m);
                    }
                }
                case 4 -> {
                    ForwardRequest m = ForwardRequest.parseFrom(bytes);
                    InboundChecks.check(m);
                    decodeCommand(m.getCommand().toByteArray());
                }
                default -> decodeCommand(bytes);
            }
        } catch (InvalidProtocolBufferException expected) {
            // not a message of that type: gRPC answers such bytes with INVALID_ARGUMENT
        }
    }

    private static void decodeCommand(byte[] command) {
        try {
            ConfigCommandCodec.decode(command);
        } catch (IllegalArgumentException expected) {
            // a malformed command is REJECTED
        }
    }

    private static ClusterSettings settings() {
        Map<String, PeerAddress> members = new LinkedHashMap<>();
        members.put("n1", PeerAddress.parse("127.0.0.1:9091"));
        members.put("n2", PeerAddress.parse("127.0.0.1:9092"));
        members.put("n3", PeerAddress.parse("127.0.0.1:9093"));
        return new ClusterSettings(
                "n1",
                "fuzz",
                members,
                Set.of("n1", "n2", "n3"),
                Set.of(),
                Path.of("unused"),
                Duration.ofMillis(10),
                30,
                5,
                0.1,
                Duration.ofMillis(300),
                Duration.ofSeconds(3),
                1 << 20,
                64 << 10);
    }
}
