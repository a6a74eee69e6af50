package io.raftboot.spring.grpc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.grpc.server.DefaultGrpcServerFactory;
import org.springframework.grpc.server.GrpcServerFactory;
import org.springframework.grpc.server.InProcessGrpcServerFactory;
import org.springframework.grpc.server.ServerServiceDefinitionFilter;

/** Sets the Raft service filter on a Spring gRPC server factory ({@link RaftServiceFilterCustomizer}). */
public final class RaftServiceFilters {

    private static final Logger LOG = LoggerFactory.getLogger(RaftServiceFilters.class);

    private RaftServiceFilters() {}

    /**
     * @param raft the Raft rule ({@link RaftServiceOffApplicationServer})
     * @param application the application's own filter bean, or {@code null}: kept on the in-process
     *     server, the only one Spring gRPC applies it to
     */
    public static void install(
            GrpcServerFactory factory, ServerServiceDefinitionFilter raft, ServerServiceDefinitionFilter application) {
        if (!(factory instanceof DefaultGrpcServerFactory<?> server)) {
            LOG.warn(
                    "gRPC server factory {} is no DefaultGrpcServerFactory: the bare Raft service cannot be kept off it",
                    factory.getClass().getName());
            return;
        }
        ServerServiceDefinitionFilter own = factory instanceof InProcessGrpcServerFactory
                        && !(application instanceof RaftServiceOffApplicationServer)
                ? application
                : null;
        server.setServiceFilter(own == null ? raft : (service, f) -> raft.filter(service, f) && own.filter(service, f));
    }
}
