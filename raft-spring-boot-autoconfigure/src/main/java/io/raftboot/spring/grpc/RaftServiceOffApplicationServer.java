package io.raftboot.spring.grpc;

import io.grpc.ServerServiceDefinition;
import io.raftboot.proto.RaftGrpc;
import java.util.function.Supplier;
import org.springframework.grpc.server.GrpcServerFactory;
import org.springframework.grpc.server.ServerServiceDefinitionFilter;

/**
 * Keeps the bare Raft service off a Spring gRPC server (Boot 4). Spring gRPC serves every {@code
 * BindableService} bean, {@link RaftServer} among them, and would serve it bare: without the
 * signature checks, peer identity and crash detection that {@link RaftServiceDefinition} adds, so
 * anyone reaching the application's gRPC port could send votes and log entries. A {@code rafts.Raft}
 * definition is admitted only when it is the secured one of {@link RaftSpringGrpcService}, which
 * exists when Raft shares the application's server ({@code raft.server.mode=shared}); with Raft on
 * its own server no {@code rafts.Raft} definition is admitted.
 */
public class RaftServiceOffApplicationServer implements ServerServiceDefinitionFilter {

    private final Supplier<RaftSpringGrpcService> shared;

    /** Admits no Raft service: Raft runs on its own server. */
    public RaftServiceOffApplicationServer() {
        this(() -> null);
    }

    /** @param shared the secured service to admit, or a supplier of {@code null} when Raft has its own server */
    public RaftServiceOffApplicationServer(Supplier<RaftSpringGrpcService> shared) {
        this.shared = shared;
    }

    @Override
    public boolean filter(ServerServiceDefinition service, GrpcServerFactory factory) {
        if (!RaftGrpc.SERVICE_NAME.equals(service.getServiceDescriptor().getName())) {
            return true;
        }
        RaftSpringGrpcService secured = shared.get();
        return secured != null && secured.isThisDefinition(service);
    }
}
