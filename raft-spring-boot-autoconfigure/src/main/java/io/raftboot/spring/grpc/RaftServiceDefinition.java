package io.raftboot.spring.grpc;

import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.raftboot.proto.RaftGrpc;
import io.raftboot.spring.grpc.security.PeerSecurity;

/**
 * The Raft service as any gRPC server serves it: {@link RaftServer}, behind crash-fast detection
 * (which sees admitted heartbeats only) and the peer security checks.
 */
final class RaftServiceDefinition {

    private RaftServiceDefinition() {}

    /**
     * @param security applied to the service (caller identity, request signatures), or {@code null}
     * @param crashDetector sees admitted heartbeats, or {@code null}
     */
    static ServerServiceDefinition of(RaftServer server, PeerSecurity security, LeaderCrashDetector crashDetector) {
        ServerServiceDefinition service = RaftGrpc.bindService(server);
        if (crashDetector != null) {
            service = ServerInterceptors.intercept(service, crashDetector);
        }
        return security == null ? service : security.protect(service);
    }
}
