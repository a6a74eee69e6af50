package io.raftboot.spring.autoconfigure;

/** Which gRPC server serves Raft (raft.server.mode). */
public enum ServerMode {
    /** Shared when net.devh's gRPC server is on the class path, own otherwise. */
    AUTO,
    /** A server the starter owns, started and stopped with the node, serving only Raft. */
    OWN,
    /** The application's net.devh gRPC server, on grpc.server.port. */
    SHARED;

    /** The class whose presence makes {@link #AUTO} shared. */
    static final String NET_DEVH_SERVICE = "net.devh.boot.grpc.server.service.GrpcService";

    /** Whether Raft runs on the starter's own server, given whether net.devh is present. */
    boolean own(boolean netDevhPresent) {
        return this == OWN || (this == AUTO && !netDevhPresent);
    }
}
