package io.raftboot.spring.grpc;

import io.grpc.ServerBuilder;
import java.util.function.Supplier;
import net.devh.boot.grpc.server.serverfactory.GrpcServerConfigurer;

/**
 * Lets crash-fast detection ({@link LeaderCrashDetector}) see the server's connections close. A
 * class of this package rather than a lambda in the auto-configuration, so that only this package
 * touches gRPC's types.
 */
public final class CrashDetectionServerConfigurer implements GrpcServerConfigurer {

    private final Supplier<LeaderCrashDetector> detector;

    /** @param detector the detector, or a supplier of {@code null} with raft.crash-detection=false */
    public CrashDetectionServerConfigurer(Supplier<LeaderCrashDetector> detector) {
        this.detector = detector;
    }

    @Override
    public void accept(ServerBuilder<?> builder) {
        LeaderCrashDetector d = detector.get();
        if (d != null) {
            builder.addTransportFilter(d.transportFilter());
        }
    }
}
