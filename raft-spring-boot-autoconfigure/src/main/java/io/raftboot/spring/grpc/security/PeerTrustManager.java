package io.raftboot.spring.grpc.security;

import io.raftboot.spring.cluster.PeerAddress;
import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks peer certificates against the bundle's trust material (the cluster's CA), asked afresh
 * on every handshake so a reloaded bundle applies to the next connection.
 *
 * <p>Host name verification is replaced by a node identity check: a peer address in raft.peers
 * is often an IP or a pod name absent from the certificate, and what matters is which node the
 * certificate belongs to. On the client side (one trust manager per peer channel) the server's
 * certificate must name the node we dial (raft.tls.identity). On the server side the client's
 * certificate only has to be trusted here; the {@code ClusterGuard} then checks per request
 * that it names the sender. Every refused handshake is counted and logged once through
 * {@link RequestRefusals}: an untrusted client certificate on the server side, an untrusted server
 * certificate or one naming another node on the client side
 * ({@link RefusalReason#UNTRUSTED_CERTIFICATE}, {@link RefusalReason#IDENTITY_MISMATCH}).
 */
final class PeerTrustManager extends X509ExtendedTrustManager {

    private static final Logger LOG = LoggerFactory.getLogger(PeerTrustManager.class);

    private final Supplier<X509ExtendedTrustManager> current;
    private final String bundle;
    private final RequestRefusals refusals;
    private final TlsIdentity mode;
    private final String expectedPeer;
    private final PeerAddress expectedAddress;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /** Server side: trust client certificates of the bundle's CA, count the others. */
    static PeerTrustManager forServer(
            Supplier<X509ExtendedTrustManager> current, String bundle, RequestRefusals refusals) {
        return new PeerTrustManager(current, bundle, refusals, null, null, null);
    }

    /**
     * Client side: the server must be {@code peer}, per {@code mode}.
     *
     * @param refusals counts and logs refused server certificates; {@code null}: logged once only
     */
    static PeerTrustManager forPeer(
            Supplier<X509ExtendedTrustManager> current,
            String bundle,
            TlsIdentity mode,
            String peer,
            PeerAddress address,
            RequestRefusals refusals) {
        return new PeerTrustManager(current, bundle, refusals, mode, peer, address);
    }

    private PeerTrustManager(
            Supplier<X509ExtendedTrustManager> current,
            String bundle,
            RequestRefusals refusals,
            TlsIdentity mode,
            String expectedPeer,
            PeerAddress expectedAddress) {
        this.current = current;
        this.bundle = bundle;
        this.refusals = refusals;
        this.mode = mode;
        this.expectedPeer = expectedPeer;
        this.expectedAddress = expectedAddress;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            current.get().checkClientTrusted(chain, authType);
        } catch (CertificateException | RuntimeException e) {
            if (refusals != null && expectedPeer == null) {
                String subject = chain == null || chain.length == 0
                        ? "<none>"
                        : chain[0].getSubjectX500Principal().getName();
                String issuer = chain == null || chain.length == 0
                        ? "<none>"
                        : chain[0].getIssuerX500Principal().getName();
                refusals.refuse(
                        RefusalReason.UNTRUSTED_CERTIFICATE,
                        subject + "|" + issuer,
                        "TLS client certificate '" + subject + "' issued by '" + issuer
                                + "' is not trusted by SSL bundle '"
                                + bundle + "' (" + e.getMessage()
                                + "); issue the peer's certificate from the cluster's CA, "
                                + "or add its CA to the bundle's truststore");
            }
            throw e instanceof CertificateException ce ? ce : new CertificateException(e.getMessage(), e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            current.get().checkServerTrusted(chain, authType);
        } catch (CertificateException | RuntimeException e) {
            String subject = chain == null || chain.length == 0
                    ? "<none>"
                    : chain[0].getSubjectX500Principal().getName();
            refuseServer(
                    RefusalReason.UNTRUSTED_CERTIFICATE,
                    "untrusted:" + subject,
                    "Peer '" + expectedPeer + "' at " + expectedAddress
                            + " presented a certificate '" + subject + "' not trusted by SSL bundle '" + bundle + "' ("
                            + e.getMessage()
                            + "); issue every node's certificate from the cluster's CA");
            throw e instanceof CertificateException ce ? ce : new CertificateException(e.getMessage(), e);
        }
        if (expectedPeer != null) {
            Set<String> names = CertificateIdentity.names(chain[0], mode);
            if (!CertificateIdentity.names(names, expectedPeer, expectedAddress)) {
                String message = "Peer at " + expectedAddress + " presented a certificate naming " + names
                        + " (raft.tls.identity=" + mode.name().toLowerCase() + "), not node '" + expectedPeer
                        + "'; the certificate of each node must name its node id or host";
                refuseServer(RefusalReason.IDENTITY_MISMATCH, "identity:" + names, message);
                throw new CertificateException(message);
            }
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    /**
     * On the server side no CA is advertised, so that a client holding a certificate of another
     * CA still presents it: it is then refused by {@link #checkClientTrusted}, counted and logged
     * with its subject and issuer, instead of failing anonymously for want of a certificate.
     */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return refusals != null ? new X509Certificate[0] : current.get().getAcceptedIssuers();
    }

    /** A refused server certificate (client side): counted and logged once with refusals, else logged once. */
    private void refuseServer(RefusalReason reason, String key, String message) {
        if (refusals != null) {
            refusals.refuse(reason, "server:" + expectedPeer + "/" + key, message);
        } else {
            warnOnce(key, message);
        }
    }

    private void warnOnce(String key, String message) {
        if (warned.size() < 64 && warned.add(key)) {
            LOG.warn("{} (logged once)", message);
        }
    }
}
