package io.raftboot.spring.grpc.security;

import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import io.raftboot.spring.cluster.PeerAddress;
import io.raftboot.spring.cluster.RaftConfigurationException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * The key material of mutual TLS between peers, from the Spring Boot SSL bundle named in
 * raft.tls.bundle: this node's certificate and key, and the CA certificates that issue the
 * peers'. Builds the Netty {@link SslContext}s of the gRPC server (client certificates required)
 * and of each peer channel (the server must be the node dialled). Both ask this object for the
 * current key and trust managers on every handshake, and a bundle update (Spring Boot's
 * {@code reload-on-update}) replaces them: new connections use the new material, established
 * ones keep theirs until they reconnect.
 *
 * <p>The JDK's TLS provider is used (not OpenSSL), so that the key and trust managers are
 * consulted on each handshake.
 */
public final class PeerTls {

    private static final Logger LOG = LoggerFactory.getLogger(PeerTls.class);

    private final String bundleName;
    private final TlsIdentity identity;
    private final RequestRefusals refusals;
    private volatile X509ExtendedKeyManager keyManager;
    private volatile X509ExtendedTrustManager trustManager;

    /**
     * @throws RaftConfigurationException if the bundle does not exist or lacks a key or trust material
     */
    public PeerTls(SslBundles bundles, String bundleName, TlsIdentity identity) {
        this(bundles, bundleName, identity, null);
    }

    /**
     * @param refusals where a peer channel counts and logs a peer's server certificate it refuses
     *     ({@code null}: logged only)
     * @throws RaftConfigurationException if the bundle does not exist or lacks a key or trust material
     */
    public PeerTls(SslBundles bundles, String bundleName, TlsIdentity identity, RequestRefusals refusals) {
        this.refusals = refusals;
        this.bundleName = bundleName;
        this.identity = identity;
        SslBundle bundle;
        try {
            bundle = bundles.getBundle(bundleName);
        } catch (NoSuchSslBundleException e) {
            throw new RaftConfigurationException(
                    "raft.tls.bundle",
                    bundleName,
                    "there is no SSL bundle of this name",
                    "Define it as spring.ssl.bundle.pem." + bundleName + ".keystore.certificate/.private-key and "
                            + ".truststore.certificate (or spring.ssl.bundle.jks." + bundleName
                            + ".*), or fix raft.tls.bundle");
        }
        use(bundle);
        bundles.addBundleUpdateHandler(bundleName, updated -> {
            try {
                use(updated);
                LOG.info("SSL bundle '{}' reloaded: new Raft peer connections use the new certificates", bundleName);
            } catch (RuntimeException e) {
                LOG.error(
                        "SSL bundle '{}' was updated but cannot be used ({}); Raft peer connections keep the previous certificates",
                        bundleName,
                        e.getMessage());
            }
        });
    }

    private void use(SslBundle bundle) {
        X509ExtendedKeyManager km = null;
        for (KeyManager m : bundle.getManagers().getKeyManagers()) {
            if (m instanceof X509ExtendedKeyManager x) {
                km = x;
                break;
            }
        }
        X509ExtendedTrustManager tm = null;
        for (TrustManager m : bundle.getManagers().getTrustManagers()) {
            if (m instanceof X509ExtendedTrustManager x) {
                tm = x;
                break;
            }
        }
        if (km == null
                || km.getServerAliases("RSA", null) == null
                        && km.getServerAliases("EC", null) == null
                        && km.getServerAliases("EdDSA", null) == null) {
            throw new RaftConfigurationException(
                    "raft.tls.bundle",
                    bundleName,
                    "the SSL bundle holds no private key with a certificate",
                    "Set spring.ssl.bundle.pem." + bundleName
                            + ".keystore.certificate and .keystore.private-key to this node's certificate and key");
        }
        if (tm == null || tm.getAcceptedIssuers().length == 0) {
            throw new RaftConfigurationException(
                    "raft.tls.bundle",
                    bundleName,
                    "the SSL bundle trusts no CA certificate",
                    "Set spring.ssl.bundle.pem." + bundleName
                            + ".truststore.certificate to the CA certificate(s) that issue the nodes' certificates");
        }
        this.keyManager = km;
        this.trustManager = tm;
    }

    public String bundleName() {
        return bundleName;
    }

    public TlsIdentity identity() {
        return identity;
    }

    /** The gRPC server's context: this node's certificate; client certificates of the bundle's CA required. */
    public SslContext serverContext(RequestRefusals refusals) {
        try {
            return GrpcSslContexts.configure(
                            SslContextBuilder.forServer(new ReloadingKeyManager(() -> keyManager)), SslProvider.JDK)
                    .trustManager(PeerTrustManager.forServer(() -> trustManager, bundleName, refusals))
                    .clientAuth(ClientAuth.REQUIRE)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException(
                    "cannot build the Raft gRPC server's TLS context from SSL bundle '" + bundleName + "': "
                            + e.getMessage(),
                    e);
        }
    }

    /** A peer channel's context: presents this node's certificate; the server must be node {@code peer}. */
    public SslContext clientContext(String peer, PeerAddress address) {
        try {
            return GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
                    .keyManager(new ReloadingKeyManager(() -> keyManager))
                    .trustManager(
                            PeerTrustManager.forPeer(() -> trustManager, bundleName, identity, peer, address, refusals))
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException(
                    "cannot build the TLS context of the channel to '" + peer + "' from SSL bundle '" + bundleName
                            + "': " + e.getMessage(),
                    e);
        }
    }
}
