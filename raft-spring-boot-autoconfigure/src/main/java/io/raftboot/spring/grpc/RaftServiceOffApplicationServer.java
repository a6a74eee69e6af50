package io.raftboot.spring.grpc;

import io.grpc.ServerServiceDefinition;
import io.raftboot.proto.RaftGrpc;
import org.springframework.grpc.server.GrpcServerFactory;
import org.springframework.grpc.server.ServerServiceDefinitionFilter;

/**
 * Keeps the Raft service off a Spring gRPC server (Boot 4). Spring gRPC serves every {@code
 * BindableService} bean, {@link RaftServer} among them, and would serve it bare: without the
 * signature checks, peer identity and crash detection that {@link RaftServiceDefinition} adds on
 * the starter's own server, so anyone reaching the application's gRPC port could send votes and
 * log entries. Raft runs on its own server instead ({@code raft.server.mode}).
 */
public class RaftServiceOffApplicationServer implements ServerServiceDefinitionFilter {

    @Override
    public boolean filter(ServerServiceDefinition service, GrpcServerFactory factory) {
        return !RaftGrpc.SERVICE_NAME.equals(service.getServiceDescriptor().getName());
    }
}
