package io.raftboot.spring.grpc;

import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.raftboot.spring.grpc.security.PeerSecurity;
import net.devh.boot.grpc.server.service.GrpcService;

/**
 * Registers the {@link RaftServer} bean with net.devh's gRPC server. The only class that touches
 * net.devh: another server integration (Spring gRPC, a plain {@code io.grpc.Server}) can bind
 * {@link RaftServer} itself instead.
 */
@GrpcService
public class RaftGrpcRegistration implements BindableService {

    private final RaftServer server;
    private final PeerSecurity security;

    public RaftGrpcRegistration(RaftServer server) {
        this(server, null);
    }

    /** @param security applied to the service (caller identity, request signatures), or {@code null} */
    public RaftGrpcRegistration(RaftServer server, PeerSecurity security) {
        this.server = server;
        this.security = security;
    }

    @Override
    public ServerServiceDefinition bindService() {
        return security == null ? server.bindService() : security.protect(server.bindService());
    }
}
