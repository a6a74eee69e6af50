package io.raftboot.spring.grpc.security;

/**
 * Which part of a peer certificate names the node (raft.tls.identity). Lives with the code that
 * reads certificates, not in RaftProperties, so this package needs nothing from the
 * auto-configuration.
 */
public enum TlsIdentity {
    /** The subject's common name (CN). */
    CN,
    /** A DNS or URI subject alternative name. */
    SAN
}
