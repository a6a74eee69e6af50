package io.raftboot.spring.grpc;

import io.grpc.ServerBuilder;
import net.devh.boot.grpc.server.serverfactory.GrpcServerConfigurer;

/**
 * Makes the server pick each call's executor with {@link RaftCallExecutor}. A class of this
 * package rather than a lambda in the auto-configuration, so that only this package touches
 * gRPC's types.
 */
public final class CallExecutorServerConfigurer implements GrpcServerConfigurer {

    @Override
    public void accept(ServerBuilder<?> builder) {
        builder.callExecutor(new RaftCallExecutor());
    }
}
