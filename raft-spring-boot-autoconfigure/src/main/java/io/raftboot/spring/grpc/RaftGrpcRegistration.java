package io.raftboot.spring.grpc;

import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.raftboot.spring.grpc.security.PeerSecurity;
import net.devh.boot.grpc.server.service.GrpcService;

/**
 * Registers the {@link RaftServer} bean with net.devh's gRPC server. Only this class and the
 * server configurers of this package ({@link RaftServerTls}, {@link CrashDetectionServerConfigurer},
 * {@link CallExecutorServerConfigurer}) touch net.devh (SpringLayeringTest): another server
 * integration (Spring gRPC, a plain {@code io.grpc.Server}) can bind {@link RaftServer} itself
 * instead.
 */
@GrpcService
public class RaftGrpcRegistration implements BindableService {

    private final RaftServer server;
    private final PeerSecurity security;
    private final LeaderCrashDetector crashDetector;

    /**
     * @param security applied to the service (caller identity, request signatures), or {@code null}
     * @param crashDetector sees admitted heartbeats (inside the security checks), or {@code null}
     */
    public RaftGrpcRegistration(RaftServer server, PeerSecurity security, LeaderCrashDetector crashDetector) {
        this.server = server;
        this.security = security;
        this.crashDetector = crashDetector;
    }

    @Override
    public ServerServiceDefinition bindService() {
        return RaftServiceDefinition.of(server, security, crashDetector);
    }
}
