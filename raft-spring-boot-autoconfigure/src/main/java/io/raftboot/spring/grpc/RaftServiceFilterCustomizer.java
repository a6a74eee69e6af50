package io.raftboot.spring.grpc;

import java.util.function.Supplier;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerFactoryCustomizer;
import org.springframework.grpc.server.GrpcServerFactory;
import org.springframework.grpc.server.ServerServiceDefinitionFilter;

/**
 * Puts {@link RaftServiceOffApplicationServer} on every Spring gRPC server factory. Spring gRPC's
 * auto-configuration (1.0.x for Boot 4.0, and Boot 4.1's own) hands its {@code
 * ServerServiceDefinitionFilter} bean to the in-process server only; its Netty servers serve every
 * {@code BindableService} bean unfiltered, the bare {@link RaftServer} included. Factory customizers
 * run before the services are added, so the filter set here decides what the network server serves.
 * On the in-process server the application's own filter, which Spring gRPC set there, still applies.
 * The work is {@link RaftServiceFilters}'s; this class only adapts it to Spring gRPC's Boot-side
 * interface (same name in Spring gRPC 1.0.x and Boot 4.1).
 */
public final class RaftServiceFilterCustomizer implements GrpcServerFactoryCustomizer {

    private final ServerServiceDefinitionFilter raft;
    private final Supplier<ServerServiceDefinitionFilter> application;

    /**
     * @param raft the Raft rule
     * @param application the application's own filter bean, or a supplier of {@code null}
     */
    public RaftServiceFilterCustomizer(
            ServerServiceDefinitionFilter raft, Supplier<ServerServiceDefinitionFilter> application) {
        this.raft = raft;
        this.application = application;
    }

    @Override
    public void customize(GrpcServerFactory factory) {
        RaftServiceFilters.install(factory, raft, application.get());
    }
}
