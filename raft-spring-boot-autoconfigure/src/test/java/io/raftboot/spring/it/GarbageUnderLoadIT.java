package io.raftboot.spring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.raftboot.core.loop.RaftLoop;
import io.raftboot.proto.HBeat;
import io.raftboot.proto.LogEntry;
import io.raftboot.proto.RaftGrpc;
import io.raftboot.proto.ReqVote;
import io.raftboot.spring.config.ReplicatedConfig;
import io.raftboot.spring.grpc.security.RequestRefusals;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-node cluster keeps working, and loses nothing, while every node is flooded with
 * garbage: requests of other clusters and unknown senders, structurally impossible requests and
 * undecodable bytes. Every acknowledged write is on every node afterwards, no node halted, and
 * the garbage moved no term (terms stay those of the cluster's own elections).
 */
class GarbageUnderLoadIT {

    @TempDir
    Path data;

    private RaftTestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aClusterFloodedWithGarbageKeepsCommittingAndLosesNothing() throws Exception {
        cluster = new RaftTestCluster(3, data, TestNodeApp.class)
                .with("raft.election-timeout", "1500ms")
                .with("raft.heartbeat-interval", "150ms")
                .startAll();
        cluster.awaitAgreedLeader(Duration.ofSeconds(20));

        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicLong sent = new AtomicLong();
        List<Thread> attackers = new ArrayList<>();
        for (String target : List.of("n1", "n2", "n3")) {
            Thread t =
                    new Thread(() -> flood(target, flooding, sent, new Random(target.hashCode())), "garbage-" + target);
            t.setDaemon(true);
            t.start();
            attackers.add(t);
        }
        Map<String, String> acknowledged = new LinkedHashMap<>();
        try {
            long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
            int i = 0;
            while (System.nanoTime() < until) {
                String node = cluster.running().get(i % 3);
                String key = "garbage.k" + i;
                cluster.bean(node, ReplicatedConfig.class).put(key, "v" + i).get(15, TimeUnit.SECONDS);
                acknowledged.put(key, "v" + i);
                i++;
            }
        } finally {
            flooding.set(false);
            for (Thread t : attackers) {
                t.join(10_000);
            }
        }
        org.slf4j.LoggerFactory.getLogger(GarbageUnderLoadIT.class)
                .info("{} garbage requests sent while {} writes were acknowledged", sent.get(), acknowledged.size());
        assertThat(sent.get()).as("garbage requests sent").isGreaterThan(100);
        assertThat(acknowledged).hasSizeGreaterThan(5);
        for (String id : cluster.running()) {
            await().atMost(Duration.ofSeconds(15))
                    .untilAsserted(() -> assertThat(
                                    cluster.bean(id, ReplicatedConfig.class).getAll("garbage."))
                            .containsAllEntriesOf(acknowledged));
            assertThat(cluster.bean(id, RaftLoop.class).haltCause())
                    .as("%s halted", id)
                    .isEmpty();
            assertThat(cluster.bean(id, RequestRefusals.class).total())
                    .as("refusals on %s", id)
                    .isGreaterThan(0);
            assertThat(cluster.leadership(id).term()).as("term of %s", id).isLessThan(1_000);
        }
        cluster.awaitAgreedLeader(Duration.ofSeconds(20));
    }

    private void flood(String target, AtomicBoolean flooding, AtomicLong sent, Random random) {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", cluster.grpcPort(target))
                .usePlaintext()
                .build();
        try {
            while (flooding.get()) {
                byte[] bytes = garbage(target, random);
                MethodDescriptor<?, ?> method =
                        random.nextBoolean() ? RaftGrpc.getHeartbeatMethod() : RaftGrpc.getRequestVoteMethod();
                try {
                    ClientCalls.blockingUnaryCall(
                            channel, raw(method), CallOptions.DEFAULT.withDeadlineAfter(2, TimeUnit.SECONDS), bytes);
                } catch (StatusRuntimeException expected) {
                    // refused, as it should be
                }
                sent.incrementAndGet();
            }
        } finally {
            channel.shutdownNow();
        }
    }

    /** Never a well-formed request of a member of this cluster: those are a lying member, out of scope. */
    private static byte[] garbage(String target, Random r) {
        long term = r.nextInt(4) == 0
                ? (r.nextBoolean() ? -r.nextInt(5) - 1 : Long.MAX_VALUE - r.nextInt(5))
                : 1_000 + r.nextInt(1_000_000);
        switch (r.nextInt(5)) {
            case 0: // another cluster
                return HBeat.newBuilder()
                        .setClusterId("elsewhere")
                        .setFrom("n2")
                        .setTo(target)
                        .setTerm(term)
                        .build()
                        .toByteArray();
            case 1: // an unknown sender
                return ReqVote.newBuilder()
                        .setClusterId("it")
                        .setFrom("intruder-" + r.nextInt(5000))
                        .setTo(target)
                        .setTerm(term)
                        .build()
                        .toByteArray();
            case 2: { // a member's id, but entries with a gap: structurally impossible
                String from = target.equals("n1") ? "n2" : "n1";
                return HBeat.newBuilder()
                        .setClusterId("it")
                        .setFrom(from)
                        .setTo(target)
                        .setTerm(1 + r.nextInt(5))
                        .setPrevLogIndex(3)
                        .addEntries(LogEntry.newBuilder().setIndex(7).setTerm(1).setData(ByteString.copyFromUtf8("x")))
                        .build()
                        .toByteArray();
            }
            case 3: { // a member's id with a negative or huge term
                String from = target.equals("n1") ? "n3" : "n1";
                return ReqVote.newBuilder()
                        .setClusterId("it")
                        .setFrom(from)
                        .setTo(target)
                        .setTerm(r.nextBoolean() ? -1 : Long.MAX_VALUE)
                        .build()
                        .toByteArray();
            }
            default: { // undecodable: a valid message cut short or with flipped bits
                byte[] b = HBeat.newBuilder()
                        .setClusterId("it")
                        .setFrom("n2")
                        .setTo(target)
                        .setTerm(term)
                        .addEntries(LogEntry.newBuilder()
                                .setIndex(1)
                                .setTerm(1)
                                .setData(ByteString.copyFromUtf8("payload")))
                        .build()
                        .toByteArray();
                byte[] out = java.util.Arrays.copyOf(b, 1 + r.nextInt(b.length - 1));
                out[r.nextInt(out.length)] ^= (byte) 0x80;
                return out;
            }
        }
    }

    private static MethodDescriptor<byte[], byte[]> raw(MethodDescriptor<?, ?> method) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(method.getFullMethodName())
                .setRequestMarshaller(BYTES)
                .setResponseMarshaller(BYTES)
                .build();
    }

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
}
