package io.raftboot.spring.grpc;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.storage.FileStorage;
import io.raftboot.core.storage.HardState;
import io.raftboot.core.storage.Storage;
import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.testsupport.process.FreePorts;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * One running Raft node (n1 of n1..n3, the others absent) with its real gRPC server on
 * loopback, a storage that records every durable hard state, and a plaintext channel to it for
 * throwing requests, well-formed or not, at its service. Used by the hostile-input tests.
 */
final class HostileNode implements AutoCloseable {

    static final Set<String> MEMBERS = Set.of("n1", "n2", "n3");

    final ConfigurableApplicationContext context;
    final ManagedChannel channel;
    final RecordingStorage storage;
    /** Terms of requests the node admitted (answered OK, or silently): only these may become its term. */
    final Set<Long> admittedTerms = ConcurrentHashMap.newKeySet();

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        static volatile RecordingStorage recording;

        @Bean
        Storage raftStorage(ClusterSettings settings) {
            recording = new RecordingStorage(
                    new FileStorage(settings.dataDir(), settings.nodeId(), settings.clusterId()), MEMBERS);
            return recording;
        }
    }

    HostileNode() {
        Path data;
        try {
            data = Files.createTempDirectory("raft-hostile");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int port = FreePorts.any();
        context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .properties(
                        "raft.node-id=n1",
                        "raft.cluster-id=fuzz",
                        "raft.peers.n1=127.0.0.1:" + port,
                        "raft.peers.n2=127.0.0.1:" + FreePorts.any(),
                        "raft.peers.n3=127.0.0.1:" + FreePorts.any(),
                        "raft.data-dir=" + data.resolve("n1"),
                        "raft.max-message-size=1MB",
                        "raft.max-value-size=64KB",
                        "raft.election-timeout=1500ms",
                        "raft.heartbeat-interval=150ms",
                        "grpc.server.address=127.0.0.1",
                        "spring.main.banner-mode=off",
                        "logging.level.io.raftboot=WARN")
                .run();
        storage = App.recording;
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port)
                .usePlaintext()
                .maxInboundMessageSize(4 << 20)
                .build();
    }

    RaftLoop loop() {
        return context.getBean(RaftLoop.class);
    }

    long term() {
        return loop().status().term();
    }

    /** Calls {@code method} with {@code request}; returns the status (OK when answered). */
    <ReqT> Status call(MethodDescriptor<ReqT, ?> method, ReqT request) {
        try {
            ClientCalls.blockingUnaryCall(
                    channel, method, CallOptions.DEFAULT.withDeadlineAfter(3, TimeUnit.SECONDS), request);
            return Status.OK;
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
    }

    /** Sends raw bytes as the request of {@code method} (truncated or mutated protobuf). */
    Status callRaw(MethodDescriptor<?, ?> method, byte[] bytes) {
        MethodDescriptor<byte[], byte[]> raw = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(method.getFullMethodName())
                .setRequestMarshaller(BYTES)
                .setResponseMarshaller(BYTES)
                .build();
        return call(raw, bytes);
    }

    /**
     * What Raft forbids of the durable state: the term never goes back, one vote per term, votes
     * only for members (checked as they happen by {@link RecordingStorage}), and every term the
     * node held is a term of a request it admitted, or one more than such a term or a term it
     * held (its own campaign): a refused request never moved the term.
     */
    List<String> violations() {
        List<String> found = new java.util.ArrayList<>(storage.violations);
        Set<Long> held = new java.util.HashSet<>();
        for (HardState h : storage.snapshotOfHistory()) {
            held.add(h.term());
        }
        for (long t : held) {
            // A campaign (election timeout, or TimeoutNow of a newer term) goes one past a term held or just learnt.
            if (t != 0 && !admittedTerms.contains(t) && !held.contains(t - 1) && !admittedTerms.contains(t - 1)) {
                found.add("term " + t + " was never sent by an admitted request");
            }
        }
        return found;
    }

    boolean halted() {
        return loop().haltCause().isPresent();
    }

    @Override
    public void close() {
        channel.shutdownNow();
        context.close();
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

    static <T> T unchecked(Supplier<T> s) {
        return s.get();
    }
}
