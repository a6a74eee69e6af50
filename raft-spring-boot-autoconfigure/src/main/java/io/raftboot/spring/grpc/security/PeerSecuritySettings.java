package io.raftboot.spring.grpc.security;

import java.time.Duration;

/**
 * The checked transport-security settings {@link PeerSecurity} works from: raft.tls.*,
 * raft.auth.* and the two grpc.server.security.* settings that must agree with them. The
 * auto-configuration builds and checks them (ClusterSettingsValidator.peerSecurity), so this
 * package never reads RaftProperties and trusts what it is given.
 *
 * @param tlsBundle name of the SSL bundle of raft.tls.bundle (trimmed), or {@code null} for no TLS
 * @param identity which part of a peer certificate names the node
 * @param secret raft.auth.secret, or {@code null} for no request signatures
 * @param replayWindow how far a signed request's timestamp may be from this node's clock
 * @param maxNonces most nonces remembered for replay protection
 * @param serverTls grpc.server.security.enabled: net.devh configures the server's TLS itself
 * @param clientAuth grpc.server.security.client-auth, upper case
 */
public record PeerSecuritySettings(
        String tlsBundle,
        TlsIdentity identity,
        String secret,
        Duration replayWindow,
        int maxNonces,
        boolean serverTls,
        String clientAuth) {

    /** No TLS, no secret (tests, and the default). */
    public static PeerSecuritySettings plaintext() {
        return new PeerSecuritySettings(null, TlsIdentity.CN, null, Duration.ofSeconds(30), 200_000, false, "NONE");
    }

    public boolean tlsEnabled() {
        return tlsBundle != null;
    }

    public boolean secretEnabled() {
        return secret != null;
    }

    /** Whether net.devh's own server TLS (grpc.server.security.*) demands client certificates. */
    public boolean serverRequiresClientCertificates() {
        return serverTls && "REQUIRE".equals(clientAuth);
    }

    /** Never shows the secret, only whether one is set (the record's own toString would). */
    @Override
    public String toString() {
        return "PeerSecuritySettings[tlsBundle=" + tlsBundle + ", identity=" + identity + ", secret="
                + (secret == null ? "<none>" : "******") + ", replayWindow=" + replayWindow + ", maxNonces=" + maxNonces
                + ", serverTls=" + serverTls + ", clientAuth=" + clientAuth + "]";
    }
}
