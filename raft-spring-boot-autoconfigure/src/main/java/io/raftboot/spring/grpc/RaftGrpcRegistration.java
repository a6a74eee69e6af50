package io.raftboot.spring.grpc;

import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import net.devh.boot.grpc.server.service.GrpcService;

/**
 * Registers the {@link RaftServer} bean with net.devh's gRPC server. The only class that touches
 * net.devh: another server integration (Spring gRPC, a plain {@code io.grpc.Server}) can bind
 * {@link RaftServer} itself instead.
 */
@GrpcService
public class RaftGrpcRegistration implements BindableService {

    private final RaftServer server;

    public RaftGrpcRegistration(RaftServer server) {
        this.server = server;
    }

    @Override
    public ServerServiceDefinition bindService() {
        return server.bindService();
    }
}
