package io.raftboot.spring.grpc;

import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.raftboot.spring.grpc.security.PeerSecurity;

/**
 * The Raft service for an application's Spring gRPC server (Boot 4, {@code raft.server.mode=shared}):
 * a {@code BindableService} bean that Spring gRPC finds and serves, bound to the definition the
 * starter's own server serves ({@link RaftServiceDefinition}: signature checks, peer identity,
 * crash detection) under a service descriptor of its own.
 *
 * <p>Spring gRPC serves every {@code BindableService} bean, the bare {@link RaftServer} too, and
 * wraps each definition in the application's global interceptors before its {@code
 * ServerServiceDefinitionFilter} sees it, so the filter cannot tell the two apart by the
 * definition's identity. gRPC's interceptors keep the service descriptor instance though ({@code
 * ServerInterceptors.intercept} builds the new definition on the old one's descriptor), so {@link
 * RaftServiceOffApplicationServer} admits a {@code rafts.Raft} definition only when it carries this
 * descriptor ({@link #isThisDefinition}), and the bare service, whose descriptor is the generated one,
 * stays off.
 */
public final class RaftSpringGrpcService implements BindableService {

    private final ServerServiceDefinition definition;

    /**
     * @param security applied to the service (caller identity, request signatures), or {@code null}
     * @param crashDetector sees admitted heartbeats, or {@code null}
     */
    public RaftSpringGrpcService(RaftServer server, PeerSecurity security, LeaderCrashDetector crashDetector) {
        this.definition = withOwnDescriptor(RaftServiceDefinition.of(server, security, crashDetector));
    }

    /** The same definition every time: {@link #isThisDefinition} recognises it by its descriptor. */
    @Override
    public ServerServiceDefinition bindService() {
        return definition;
    }

    /** Whether {@code service} is this service's definition, bare or wrapped in interceptors. */
    public boolean isThisDefinition(ServerServiceDefinition service) {
        return service.getServiceDescriptor() == definition.getServiceDescriptor();
    }

    /** The same methods and handlers under a descriptor instance nothing else holds. */
    private static ServerServiceDefinition withOwnDescriptor(ServerServiceDefinition secured) {
        ServiceDescriptor served = secured.getServiceDescriptor();
        ServiceDescriptor.Builder descriptor =
                ServiceDescriptor.newBuilder(served.getName()).setSchemaDescriptor(served.getSchemaDescriptor());
        // The method descriptors the handlers were bound with: the builder checks they are the same instances.
        served.getMethods().forEach(descriptor::addMethod);
        ServerServiceDefinition.Builder own = ServerServiceDefinition.builder(descriptor.build());
        secured.getMethods().forEach(own::addMethod);
        return own.build();
    }
}
