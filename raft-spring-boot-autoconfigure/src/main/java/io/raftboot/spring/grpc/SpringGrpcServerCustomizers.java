package io.raftboot.spring.grpc;

import io.grpc.ServerBuilder;
import java.util.function.Supplier;
import org.springframework.grpc.server.ServerBuilderCustomizer;

/**
 * What the starter's own server sets for Raft, as Spring gRPC {@link ServerBuilderCustomizer}s for
 * an application's Spring gRPC server that serves Raft ({@code raft.server.mode=shared}). The
 * Spring gRPC counterparts of {@link CrashDetectionServerConfigurer} and {@link
 * CallExecutorServerConfigurer}; in this package so that only it touches gRPC's types.
 */
public final class SpringGrpcServerCustomizers {

    private SpringGrpcServerCustomizers() {}

    /**
     * Lets crash-fast detection ({@link LeaderCrashDetector}) see the server's connections close.
     *
     * @param detector the detector, or a supplier of {@code null} with raft.crash-detection=false
     */
    public static <T extends ServerBuilder<T>> ServerBuilderCustomizer<T> crashDetection(
            Supplier<LeaderCrashDetector> detector) {
        return builder -> {
            LeaderCrashDetector d = detector.get();
            if (d != null) {
                builder.addTransportFilter(d.transportFilter());
            }
        };
    }

    /** Makes the server pick each call's executor with {@link RaftCallExecutor}. */
    public static <T extends ServerBuilder<T>> ServerBuilderCustomizer<T> callExecutor() {
        return builder -> builder.callExecutor(new RaftCallExecutor());
    }
}
