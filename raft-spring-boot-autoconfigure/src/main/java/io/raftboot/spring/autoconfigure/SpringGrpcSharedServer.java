package io.raftboot.spring.autoconfigure;

import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.cluster.RaftConfigurationException;
import java.util.Locale;
import org.springframework.core.env.PropertyResolver;

/**
 * What must hold before Raft shares the application's Spring gRPC server ({@code
 * raft.server.mode=shared}, Boot 4): peers find this node at the port of its entry in {@code
 * raft.peers}, so the server must listen there; and the server's TLS, which is Spring gRPC's
 * ({@code spring.grpc.server.ssl.*}), must match what the peer channels speak ({@code raft.tls.*}).
 * Each mismatch fails the start, naming both settings.
 */
final class SpringGrpcSharedServer {

    static final String PORT = "spring.grpc.server.port";
    /** Spring gRPC's default port (GrpcUtils.DEFAULT_PORT) when spring.grpc.server.port is not set. */
    static final int DEFAULT_PORT = 9090;

    /** Spring gRPC's in-process server factory: reached from inside the JVM only, never by a peer. */
    static final String IN_PROCESS_FACTORY = "org.springframework.grpc.server.InProcessGrpcServerFactory";

    private SpringGrpcSharedServer() {}

    static void check(RaftProperties p, ClusterSettings settings, PropertyResolver environment) {
        if (!p.isSingleNode()) {
            // raft.single-node picks a free port for its one member: nobody needs to reach it.
            checkPort(settings, environment);
        }
        checkTls(p, environment);
    }

    /**
     * Spring gRPC's core, whose presence selects this mode, comes with its client starter too: without
     * a server factory bean that listens on the network (no server starter, the servlet mode, or only
     * the in-process server) nothing would serve Raft to its peers, and the node would start where no
     * peer reaches it.
     *
     * @param serverFactoryTypes the class names of the application's {@code GrpcServerFactory} beans
     *     (an empty name where the type cannot be told without creating the bean)
     */
    static void checkServerDefined(java.util.List<String> serverFactoryTypes) {
        if (serverFactoryTypes.stream().allMatch(IN_PROCESS_FACTORY::equals)) {
            throw new RaftConfigurationException(
                    "raft.server.mode",
                    "shared",
                    "Raft would share the application's Spring gRPC server, but the application defines none that"
                            + " peers can reach (no GrpcServerFactory bean but the in-process one: Spring gRPC's client"
                            + " only, its server disabled, its servlet mode, which Raft cannot share, or in-process only)",
                    "Add Spring gRPC's server starter (spring-boot-starter-grpc-server on Boot 4.1,"
                            + " spring-grpc-server-spring-boot-starter with Spring gRPC 1.0.x), or run Raft on its own"
                            + " server with raft.server.mode=own (or auto)");
        }
    }

    private static void checkPort(ClusterSettings settings, PropertyResolver environment) {
        int served = environment.getProperty(PORT, Integer.class, DEFAULT_PORT);
        int peersUse = settings.self().port();
        if (served != peersUse) {
            throw new RaftConfigurationException(
                    PORT,
                    served,
                    "Raft shares the application's Spring gRPC server (raft.server.mode=shared), but this node's entry"
                            + " raft.peers." + settings.nodeId() + " says port " + peersUse
                            + ", so its peers would not reach it",
                    "Set " + PORT + "=" + peersUse + ", or leave it unset (it defaults to the port of this node's"
                            + " entry in raft.peers), or run Raft on its own server with raft.server.mode=own");
        }
    }

    private static void checkTls(RaftProperties p, PropertyResolver environment) {
        String bundle =
                environment.getProperty("spring.grpc.server.ssl.bundle", "").trim();
        boolean serverTls = environment.getProperty("spring.grpc.server.ssl.enabled", Boolean.class, !bundle.isEmpty());
        String clientAuth = environment
                .getProperty("spring.grpc.server.ssl.client-auth", "NONE")
                .trim()
                .toUpperCase(Locale.ROOT);
        boolean peersTls = p.getTls().isEnabled();
        if (peersTls && (!serverTls || !"REQUIRE".equals(clientAuth))) {
            throw new RaftConfigurationException(
                    "spring.grpc.server.ssl.client-auth",
                    serverTls ? clientAuth : "(no TLS: spring.grpc.server.ssl.bundle not set)",
                    "raft.tls.bundle asks for mutual TLS between peers, but Raft shares the application's Spring gRPC"
                            + " server, whose TLS is Spring gRPC's and does not require client certificates",
                    "Set spring.grpc.server.ssl.bundle (a bundle with this node's certificate and the peers' CA, e.g."
                            + " the one raft.tls.bundle names) and spring.grpc.server.ssl.client-auth=require,"
                            + " or run Raft on its own server with raft.server.mode=own");
        }
        if (!peersTls && serverTls) {
            throw new RaftConfigurationException(
                    "raft.tls.bundle",
                    "(not set)",
                    "the application's Spring gRPC server, which Raft shares, speaks TLS (spring.grpc.server.ssl.*),"
                            + " but the peer channels would speak plaintext to it",
                    "Set raft.tls.bundle to a bundle whose CA trusts the server's certificate and whose certificate"
                            + " the server trusts, or run Raft on its own server with raft.server.mode=own");
        }
    }
}
