package io.raftboot.spring.autoconfigure;

/** Which gRPC server serves Raft (raft.server.mode). */
public enum ServerMode {
    /**
     * Shared when net.devh's gRPC server is on the class path, own otherwise: also beside a Spring
     * gRPC server, which is the application's public port (docs/spring.md says why).
     */
    AUTO,
    /** A server the starter owns, started and stopped with the node, serving only Raft. */
    OWN,
    /**
     * The application's gRPC server: net.devh's (on grpc.server.port) when it is on the class
     * path, else Spring gRPC's (Boot 4, on spring.grpc.server.port).
     */
    SHARED;

    /** The class whose presence makes {@link #AUTO} shared. */
    static final String NET_DEVH_SERVICE = "net.devh.boot.grpc.server.service.GrpcService";

    /** The class whose presence says Spring gRPC (Boot 4) can serve Raft with {@link #SHARED}. */
    static final String SPRING_GRPC_SERVER = "org.springframework.grpc.server.GrpcServerFactory";

    /** Whether Raft runs on the starter's own server, given whether net.devh is present. */
    boolean own(boolean netDevhPresent) {
        return this == OWN || (this == AUTO && !netDevhPresent);
    }
}
